//! Partition key types and the typed values compared under them: a key's values are stored as
//! strings and read as the key's declared type before comparing (so `9 < 10` for an `int` key).

use super::decimal::Decimal;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyType {
    Text,
    Integer,
    Decimal,
    Date,
    Timestamp,
}

/// A value read under a key's type. Only values of one type are ever compared with each other.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Scalar<'a> {
    Text(Cow<'a, str>),
    Integer(i64),
    Decimal(Decimal),
    Date(NaiveDate),
    Timestamp(NaiveDateTime),
}

impl KeyType {
    /// The type of a partition key as the catalog declares it (`varchar(10)`, `decimal(10,2)`, `BIGINT`).
    /// The types AWS documents as supported in expressions; any other → the message AWS gives.
    pub(super) fn of(type_name: &str) -> Result<KeyType, String> {
        let base = type_name.split('(').next().unwrap_or("").trim();
        Ok(match base.to_ascii_lowercase().as_str() {
            "string" | "char" | "varchar" => KeyType::Text,
            "int" | "integer" | "bigint" | "long" | "smallint" | "tinyint" => KeyType::Integer,
            "decimal" => KeyType::Decimal,
            "date" => KeyType::Date,
            "timestamp" => KeyType::Timestamp,
            _ => return Err(format!("Unknown type : '{type_name}'")),
        })
    }

    /// The type's family name in AWS's "… data type doesn't support operation" messages.
    pub(super) fn family(self) -> &'static str {
        match self {
            KeyType::Text => "String",
            KeyType::Integer => "Integral",
            KeyType::Decimal => "Decimal",
            KeyType::Date => "Date",
            KeyType::Timestamp => "Timestamp",
        }
    }

    /// `text` read as this type, or what it is not ("not an integer").
    pub(super) fn read(self, text: &str) -> Result<Scalar<'_>, &'static str> {
        match self {
            KeyType::Text => Ok(Scalar::Text(Cow::Borrowed(text))),
            KeyType::Integer => text.parse().map(Scalar::Integer).map_err(|_| "not an integer"),
            KeyType::Decimal => Decimal::parse(text).map(Scalar::Decimal).ok_or("not a decimal"),
            KeyType::Date => read_date(text).map(Scalar::Date).ok_or("not a date (yyyy-MM-dd)"),
            KeyType::Timestamp => read_timestamp(text)
                .map(Scalar::Timestamp)
                .ok_or("not a timestamp (yyyy-MM-dd HH:mm:ss[.fffffffff])"),
        }
    }
}

impl Scalar<'_> {
    pub(super) fn into_owned(self) -> Scalar<'static> {
        match self {
            Scalar::Text(t) => Scalar::Text(Cow::Owned(t.into_owned())),
            Scalar::Integer(i) => Scalar::Integer(i),
            Scalar::Decimal(d) => Scalar::Decimal(d),
            Scalar::Date(d) => Scalar::Date(d),
            Scalar::Timestamp(t) => Scalar::Timestamp(t),
        }
    }
}

/// Exactly `yyyy-MM-dd` (chrono alone would also take `2024-1-1` and signed years).
fn read_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// `yyyy-MM-dd HH:mm:ss` with an optional fraction of up to nine digits.
fn read_timestamp(text: &str) -> Option<NaiveDateTime> {
    let (date, time) = text.split_once(' ')?;
    let b = time.as_bytes();
    let shaped = b.len() >= 8
        && b[2] == b':'
        && b[5] == b':'
        && b[..8]
            .iter()
            .enumerate()
            .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit())
        && match &time[8..] {
            "" => true,
            fraction => {
                let digits = &fraction[1..];
                fraction.starts_with('.')
                    && (1..=9).contains(&digits.len())
                    && digits.bytes().all(|c| c.is_ascii_digit())
            }
        };
    if !shaped {
        return None;
    }
    let time = NaiveTime::parse_from_str(time, "%H:%M:%S%.f").ok()?;
    Some(read_date(date)?.and_time(time))
}
