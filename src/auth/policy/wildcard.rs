//! `*` and `?` patterns, compiled once.

/// A compiled pattern with `*` (any run of characters) and `?` (exactly one
/// character), or a literal string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Glob {
    kind: GlobKind,
    case_insensitive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum GlobKind {
    /// `*`: matches everything.
    Any,
    Literal(String),
    Pattern(Vec<Token>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Star,
    One,
    Text(String),
}

impl Glob {
    /// `wildcards: false` compiles a literal (for StringEquals).
    pub(super) fn new(pattern: &str, wildcards: bool, case_insensitive: bool) -> Glob {
        let kind = if !wildcards || !pattern.contains(['*', '?']) {
            GlobKind::Literal(pattern.to_string())
        } else if pattern.bytes().all(|b| b == b'*') {
            GlobKind::Any
        } else {
            let mut tokens = Vec::new();
            let mut text = String::new();
            for c in pattern.chars() {
                match c {
                    '*' | '?' => {
                        if !text.is_empty() {
                            tokens.push(Token::Text(std::mem::take(&mut text)));
                        }
                        if c == '?' {
                            tokens.push(Token::One);
                        } else if tokens.last() != Some(&Token::Star) {
                            tokens.push(Token::Star);
                        }
                    }
                    c => text.push(c),
                }
            }
            if !text.is_empty() {
                tokens.push(Token::Text(text));
            }
            GlobKind::Pattern(tokens)
        };
        Glob { kind, case_insensitive }
    }

    pub(super) fn matches(&self, text: &str) -> bool {
        match &self.kind {
            GlobKind::Any => true,
            GlobKind::Literal(lit) => {
                if self.case_insensitive {
                    lit.eq_ignore_ascii_case(text)
                } else {
                    lit == text
                }
            }
            GlobKind::Pattern(tokens) => self.matches_tokens(tokens, text),
        }
    }

    /// Greedy matching with backtracking to the last `*` only: the tokens
    /// between two stars have a fixed length, so this is exact, O(n·m) worst
    /// case, without allocation.
    fn matches_tokens(&self, tokens: &[Token], text: &str) -> bool {
        let (mut p, mut t) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        loop {
            if p < tokens.len() {
                match &tokens[p] {
                    Token::Star => {
                        star = Some((p, t));
                        p += 1;
                        continue;
                    }
                    Token::One => {
                        if let Some(c) = text[t..].chars().next() {
                            t += c.len_utf8();
                            p += 1;
                            continue;
                        }
                    }
                    Token::Text(s) => {
                        if self.starts_with(&text[t..], s) {
                            t += s.len();
                            p += 1;
                            continue;
                        }
                    }
                }
            } else if t == text.len() || tokens.last() == Some(&Token::Star) {
                // All tokens used: done if the text is too, or if the last
                // token was a star, which takes the rest.
                return true;
            }
            // Mismatch (or pattern exhausted early): let the last star eat one
            // more character and retry.
            match star {
                Some((sp, st)) => match text[st..].chars().next() {
                    Some(c) => {
                        let nt = st + c.len_utf8();
                        star = Some((sp, nt));
                        p = sp + 1;
                        t = nt;
                    }
                    None => return false,
                },
                None => return false,
            }
        }
    }

    fn starts_with(&self, text: &str, prefix: &str) -> bool {
        if self.case_insensitive {
            text.len() >= prefix.len() && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        } else {
            text.starts_with(prefix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matching() {
        let cases: &[(&str, bool, &str, bool)] = &[
            // (pattern, case_insensitive, text, expected)
            ("*", false, "", true),
            ("*", false, "anything", true),
            ("glue:Get*", true, "glue:GetWorkflow", true),
            ("glue:Get*", true, "GLUE:getworkflowrun", true),
            ("glue:Get*", true, "glue:Get", true),
            ("glue:Get*", true, "glue:BatchGetJobs", false),
            ("glue:*Workflow*", true, "glue:ResumeWorkflowRun", true),
            ("glue:*Workflow*", true, "glue:GetWorkflow", true),
            ("glue:*Workflow*", true, "glue:Workflow", true),
            ("glue:*Workflow*", true, "glue:GetJob", false),
            ("glue:?etJob", true, "glue:GetJob", true),
            ("glue:?etJob", true, "glue:etJob", false),
            ("glue:?etJob", true, "glue:GGetJob", false),
            ("a*b*c", false, "abc", true),
            ("a*b*c", false, "aXbYc", true),
            ("a*b*c", false, "aXbYcZ", false),
            ("a*b*c", false, "abcbc", true),
            ("a*bc", false, "abcbc", true),
            ("a*bc", false, "abcb", false),
            ("*a", false, "aaa", true),
            ("*a", false, "aab", false),
            ("a**?", false, "a", false),
            ("a**?", false, "ab", true),
            ("?", false, "é", true),
            ("w?", false, "wé", true),
            ("*é*", false, "xéy", true),
            ("workflow/W*", false, "workflow/w1", false),
            ("workflow/W*", true, "workflow/w1", true),
            ("literal", false, "Literal", false),
            ("literal", true, "Literal", true),
        ];
        for (pattern, ci, text, expected) in cases {
            assert_eq!(
                Glob::new(pattern, true, *ci).matches(text),
                *expected,
                "{pattern} ~ {text}"
            );
        }
        // Literal globs treat wildcards as plain characters.
        assert!(Glob::new("a*", false, false).matches("a*"));
        assert!(!Glob::new("a*", false, false).matches("ab"));
    }
}
