//! SQL `LIKE` patterns as anchored regular expressions: `%` any run of characters, `_` one character,
//! everything else literal; `ESCAPE 'c'` makes the character after `c` literal.

use regex::Regex;

pub(super) fn like_regex(pattern: &str, escape: Option<char>) -> Result<Regex, String> {
    let mut re = String::with_capacity(pattern.len() + 8);
    re.push_str("(?s)^");
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            c if Some(c) == escape => match chars.next() {
                Some(literal) => re.push_str(&regex::escape(literal.encode_utf8(&mut [0; 4]))),
                None => return Err(format!("LIKE pattern '{pattern}' ends with its escape character")),
            },
            '%' => re.push_str(".*"),
            '_' => re.push('.'),
            c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    re.push('$');
    Regex::new(&re).map_err(|e| format!("LIKE pattern '{pattern}' is too large: {e}"))
}

#[cfg(test)]
mod tests {
    use super::like_regex;

    #[test]
    fn wildcards_and_escapes() {
        let cases: &[(&str, Option<char>, &str, bool)] = &[
            ("2024-%", None, "2024-01", true),
            ("2024-%", None, "2023-01", false),
            ("%-01", None, "2024-01", true),
            ("a_c", None, "abc", true),
            ("a_c", None, "abbc", false),
            ("a.c", None, "abc", false),
            ("a.c", None, "a.c", true),
            ("100!%", Some('!'), "100%", true),
            ("100!%", Some('!'), "1000", false),
            ("a!_c", Some('!'), "a_c", true),
            ("a!_c", Some('!'), "abc", false),
            ("(x)*[y]", None, "(x)*[y]", true),
            ("%", None, "", true),
            ("_", None, "", false),
            ("é_", None, "éa", true),
            ("line%", None, "line\nbreak", true),
            ("abc", None, "ABC", false),
        ];
        for &(pattern, escape, text, expected) in cases {
            let re = like_regex(pattern, escape).unwrap();
            assert_eq!(re.is_match(text), expected, "{text:?} LIKE {pattern:?}");
        }
        assert!(like_regex("abc!", Some('!')).is_err());
    }
}
