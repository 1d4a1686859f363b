//! A crawler target's `Exclusions`: Glue's glob patterns over keys relative to the include path.
//!
//! As the Glue guide ("Include and exclude patterns") defines them: `*` matches within one folder
//! level, `**` across levels, `?` one character, `[a-z]` / `[!a-c]` one character of (not of) a set,
//! `{a,b}` either subpattern (not nested), `\` escapes the next character.

use regex::Regex;

#[derive(Debug, Default)]
pub struct Exclusions {
    patterns: Vec<Regex>,
}

impl Exclusions {
    /// Compiles the patterns, or says which one is malformed.
    pub fn new(patterns: &[String]) -> Result<Exclusions, String> {
        let patterns = patterns
            .iter()
            .map(|p| {
                glob_regex(p)
                    .and_then(|r| Regex::new(&r).map_err(|e| e.to_string()))
                    .map_err(|e| format!("exclude pattern {p:?} is not a valid glob: {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Exclusions { patterns })
    }

    pub fn excludes(&self, key: &str) -> bool {
        self.patterns.iter().any(|p| p.is_match(key))
    }
}

/// The anchored regular expression a glob stands for.
fn glob_regex(glob: &str) -> Result<String, String> {
    let mut out = String::from("^");
    let mut chars = glob.chars().peekable();
    let mut in_group = false;
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                out.push_str(".*");
            }
            '*' => out.push_str("[^/]*"),
            '?' => out.push_str("[^/]"),
            '\\' => {
                let escaped = chars.next().ok_or("it ends with a lone backslash")?;
                out.push_str(&regex::escape(&escaped.to_string()));
            }
            '[' => {
                out.push('[');
                if chars.peek() == Some(&'!') {
                    chars.next();
                    out.push('^');
                }
                let mut first = true;
                loop {
                    let c = chars.next().ok_or("a '[' is not closed")?;
                    match c {
                        ']' if !first => break,
                        '-' if first => out.push_str("\\-"),
                        '-' => out.push('-'),
                        c => out.push_str(&regex::escape(&c.to_string())),
                    }
                    first = false;
                }
                out.push(']');
            }
            '{' if in_group => return Err("groups cannot be nested".into()),
            '{' => {
                in_group = true;
                out.push_str("(?:");
            }
            '}' if in_group => {
                in_group = false;
                out.push(')');
            }
            ',' if in_group => out.push('|'),
            c => out.push_str(&regex::escape(&c.to_string())),
        }
    }
    if in_group {
        return Err("a '{' is not closed".into());
    }
    out.push('$');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excludes(pattern: &str, key: &str) -> bool {
        Exclusions::new(&[pattern.to_string()]).unwrap().excludes(key)
    }

    /// The guide's examples, over its `departments/` and `employees/` tree.
    #[test]
    fn the_guides_examples() {
        assert!(excludes("departments/**", "departments/finance.json"));
        assert!(!excludes("departments/**", "employees/hr.json"));
        assert!(excludes("departments/market*", "departments/market-us.json"));
        assert!(!excludes("departments/market*", "departments/finance.json"));
        assert!(excludes("**.csv", "employees/john.csv"));
        assert!(excludes("employees/*.csv", "employees/jane.csv"));
        assert!(!excludes("*.csv", "employees/jane.csv"));
        assert!(excludes("*.{csv,avro}", "x.avro"));
        assert!(excludes("foo.?", "foo.c"));
        assert!(!excludes("foo.?", "foo.cc"));
        assert!(excludes("myfolder**", "myfolder/mydata.txt"));
        assert!(excludes("*", ".hidden"));
        let week = "2015/01/{[!0],0[8-9]}**";
        assert!(excludes(week, "2015/01/15/x.json"));
        assert!(excludes(week, "2015/01/08/x.json"));
        assert!(!excludes(week, "2015/01/07/x.json"));
        assert!(excludes("[-a]", "-"));
        assert!(excludes("a\\*", "a*"));
        assert!(!excludes("a\\*", "ab"));
    }

    #[test]
    fn malformed_patterns_are_refused() {
        for bad in ["[abc", "{a,{b}}", "{a", "x\\"] {
            assert!(Exclusions::new(&[bad.to_string()]).is_err(), "{bad}");
        }
    }
}
