//! Exact decimal numbers for `decimal` keys: compared digit by digit, so `0.1 + 0.2`-style float
//! rounding never decides whether a partition matches.

use std::cmp::Ordering;

/// A finite decimal in canonical form: no leading zeros in `whole`, no trailing zeros in
/// `fraction`, zero is never negative — so equal numbers have equal fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Decimal {
    negative: bool,
    whole: String,
    fraction: String,
}

impl Decimal {
    /// `[+-]digits[.digits]` (or `.5`, `5.`); anything else (exponents, spaces, `NaN`) → None.
    pub(super) fn parse(text: &str) -> Option<Decimal> {
        let (negative, unsigned) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
        if whole.len() + fraction.len() == 0 || !digits(whole) || !digits(fraction) {
            return None;
        }
        let whole = whole.trim_start_matches('0').to_string();
        let fraction = fraction.trim_end_matches('0').to_string();
        let negative = negative && !(whole.is_empty() && fraction.is_empty());
        Some(Decimal {
            negative,
            whole,
            fraction,
        })
    }

    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        self.whole
            .len()
            .cmp(&other.whole.len())
            .then_with(|| self.whole.cmp(&other.whole))
            .then_with(|| self.fraction.cmp(&other.fraction))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn orders_exactly() {
        let ascending = [
            "-100",
            "-99.5",
            "-1",
            "-0.45",
            "0",
            "0.000000000000000000001",
            "0.45",
            "0.5",
            "1",
            "9.99",
            "10",
            "12345678901234567890123.1",
        ];
        for pair in ascending.windows(2) {
            assert!(d(pair[0]) < d(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(d("-0.0"), d("0"));
        assert_eq!(d("007.50"), d("7.5"));
        assert_eq!(d("+3."), d("3"));
        assert_eq!(d(".5"), d("0.5"));
    }

    #[test]
    fn refuses_non_numbers() {
        for s in ["", "-", ".", "1e5", "1.2.3", " 1", "abc", "NaN", "1,5"] {
            assert_eq!(Decimal::parse(s), None, "{s:?}");
        }
    }
}
