//! GetTables' `Expression`: AWS calls it a regular expression; Glue keeps Hive's
//! metastore reading of it, where `*` alone means any characters (`sales*`) and
//! `|` separates alternatives. The whole (lowercase) name must match, in any case.

use crate::engine::error::{Error, Result};

/// Compiled patterns are bounded, so one request cannot make a huge automaton.
const SIZE_LIMIT: usize = 1 << 20;

#[derive(Debug, Clone)]
pub struct NamePattern(regex::Regex);

impl NamePattern {
    pub fn parse(expression: &str) -> Result<NamePattern> {
        let mut translated = String::with_capacity(expression.len() + 8);
        let mut previous = None;
        let mut escaped = false;
        for c in expression.chars() {
            // A `*` that repeats nothing a regex would (a character or group) is Hive's wildcard.
            let repeats = matches!(previous, Some('.' | ')' | ']' | '}' | '?' | '+')) || escaped;
            if c == '*' && !repeats {
                translated.push_str(".*");
            } else {
                translated.push(c);
            }
            escaped = c == '\\' && !escaped;
            previous = Some(c);
        }
        regex::RegexBuilder::new(&format!(r"\A(?:{translated})\z"))
            .case_insensitive(true)
            .size_limit(SIZE_LIMIT)
            .build()
            .map(NamePattern)
            .map_err(|e| Error::InvalidInput(format!("Expression {expression:?} is not a valid pattern: {e}")))
    }

    pub fn matches(&self, name: &str) -> bool {
        self.0.is_match(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hive_wildcards_and_regexes() {
        let cases = [
            ("sales*", "sales_2024", true),
            ("sales*", "old_sales", false),
            ("*sales*", "old_sales", true),
            ("sales.*", "sales_x", true),
            ("sales_20(23|24)", "sales_2024", true),
            ("users|orders", "orders", true),
            ("users|orders", "orders2", false),
            ("Users", "users", true),
            ("a\\*", "a*", true),
            ("[a-c]+", "abc", true),
        ];
        for (pattern, name, expected) in cases {
            assert_eq!(
                NamePattern::parse(pattern).unwrap().matches(name),
                expected,
                "{pattern} {name}"
            );
        }
        assert!(matches!(NamePattern::parse("(unclosed"), Err(Error::InvalidInput(_))));
        assert!(matches!(
            NamePattern::parse("a{1000}{1000}"),
            Err(Error::InvalidInput(_))
        ));
    }
}
