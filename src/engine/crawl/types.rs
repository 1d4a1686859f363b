//! Glue's column types as crawlers infer them, how values of text formats are typed, and how
//! the types two files give one column merge.

use std::fmt;

/// A column type in the Data Catalog's Hive notation (`bigint`, `struct<a:int>` …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlueType {
    /// No value seen yet (an empty CSV field, a JSON null): gives way to any other type.
    Null,
    Boolean,
    Int,
    BigInt,
    Double,
    String,
    Date,
    Timestamp,
    Array(Box<GlueType>),
    Struct(Vec<(String, GlueType)>),
    /// A type only a self-describing format gives (Parquet's `decimal(10,2)`, `map<…>`, `binary` …).
    Named(String),
}

impl fmt::Display for GlueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // A column with no value at all is a string, as Glue types it.
            GlueType::Null | GlueType::String => f.write_str("string"),
            GlueType::Boolean => f.write_str("boolean"),
            GlueType::Int => f.write_str("int"),
            GlueType::BigInt => f.write_str("bigint"),
            GlueType::Double => f.write_str("double"),
            GlueType::Date => f.write_str("date"),
            GlueType::Timestamp => f.write_str("timestamp"),
            GlueType::Array(element) => write!(f, "array<{element}>"),
            GlueType::Struct(fields) => {
                f.write_str("struct<")?;
                for (i, (name, t)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{name}:{t}")?;
                }
                f.write_str(">")
            }
            GlueType::Named(name) => f.write_str(name),
        }
    }
}

impl GlueType {
    /// The type that holds values of both: numbers widen (int → bigint → double), structs
    /// merge field by field, arrays by element; anything else that differs is a string.
    pub fn merge(self, other: GlueType) -> GlueType {
        use GlueType::*;
        match (self, other) {
            (Null, t) | (t, Null) => t,
            (a, b) if a == b => a,
            (Int, BigInt) | (BigInt, Int) => BigInt,
            (Int | BigInt | Double, Int | BigInt | Double) => Double,
            (Array(a), Array(b)) => Array(Box::new(a.merge(*b))),
            (Struct(a), Struct(b)) => Struct(merge_fields(a, b)),
            _ => String,
        }
    }

    /// Whether this is what Glue calls a STRING column (for the CSV header rule).
    pub fn is_string(&self) -> bool {
        matches!(self, GlueType::String)
    }
}

/// Fields of both, in order of first appearance; a field in both gets the merged type.
pub fn merge_fields(mut a: Vec<(String, GlueType)>, b: Vec<(String, GlueType)>) -> Vec<(String, GlueType)> {
    for (name, t) in b {
        match a.iter_mut().find(|(n, _)| *n == name) {
            Some((_, existing)) => *existing = std::mem::replace(existing, GlueType::Null).merge(t),
            None => a.push((name, t)),
        }
    }
    a
}

/// The type of one text value (a CSV field): boolean, bigint, double, date, timestamp or string.
pub fn of_text(value: &str) -> GlueType {
    let v = value.trim();
    if v.is_empty() {
        return GlueType::Null;
    }
    if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") {
        return GlueType::Boolean;
    }
    if is_integer(v) {
        return if v.parse::<i64>().is_ok() {
            GlueType::BigInt
        } else {
            GlueType::Double
        };
    }
    if is_decimal(v) {
        return GlueType::Double;
    }
    if chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok() && v.len() == 10 {
        return GlueType::Date;
    }
    if is_timestamp(v) {
        return GlueType::Timestamp;
    }
    GlueType::String
}

fn is_integer(v: &str) -> bool {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `1.5`, `-.5`, `3.`, `1e10`, `2.5E-3`; not `nan`, `inf` or hex, which Rust's parser would take.
fn is_decimal(v: &str) -> bool {
    let body = v.strip_prefix(['-', '+']).unwrap_or(v);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = (!int.is_empty() || !frac.is_empty()) && digits(int) && digits(frac);
    let exponent_ok = exponent.is_none_or(is_integer);
    mantissa_ok && exponent_ok && (mantissa.contains('.') || exponent.is_some())
}

fn is_timestamp(v: &str) -> bool {
    [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .any(|format| chrono::NaiveDateTime::parse_from_str(v, format).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_are_typed_as_the_csv_classifier_does() {
        for (value, expected) in [
            ("", "string"),
            ("TRUE", "boolean"),
            ("false", "boolean"),
            ("42", "bigint"),
            ("-7", "bigint"),
            ("99999999999999999999", "double"),
            ("1.5", "double"),
            ("-.5", "double"),
            ("2.5E-3", "double"),
            ("nan", "string"),
            ("inf", "string"),
            ("0x1f", "string"),
            ("2024-01-31", "date"),
            ("2024-02-30", "string"),
            ("2024-01-31 10:20:30", "timestamp"),
            ("2024-01-31T10:20:30.123", "timestamp"),
            ("hello", "string"),
        ] {
            assert_eq!(of_text(value).to_string(), expected, "{value:?}");
        }
    }

    #[test]
    fn types_merge_to_the_wider_one() {
        use GlueType::*;
        assert_eq!(Int.merge(BigInt), BigInt);
        assert_eq!(BigInt.merge(Double), Double);
        assert_eq!(Null.merge(Date), Date);
        assert_eq!(Date.merge(BigInt), String);
        assert_eq!(Boolean.merge(Boolean), Boolean);
        let a = Struct(vec![("x".into(), Int)]);
        let b = Struct(vec![("x".into(), Double), ("y".into(), String)]);
        assert_eq!(a.merge(b).to_string(), "struct<x:double,y:string>");
        assert_eq!(Array(Box::new(Null)).to_string(), "array<string>");
        assert_eq!(
            Array(Box::new(Int)).merge(Array(Box::new(BigInt))).to_string(),
            "array<bigint>"
        );
    }
}
