//! Java regex → regex crate.

use std::fmt::Write as _;

/// Translates a Java regular expression into the `regex` crate's syntax,
/// anchored so that the whole value must match (Java's `matches()`).
///
/// - `\uXXXX` becomes a code point; a UTF-16 surrogate pair (`\uD800\uDC00`)
///   becomes the one supplementary code point it encodes, so
///   `\uD800\uDC00-\uDBFF\uDFFF` is `\x{10000}-\x{10FFFF}`.
/// - Lone surrogates, which no Rust string can contain, are dropped from
///   classes; a range bound that is a lone surrogate is moved to the nearest
///   scalar value inside the range (`\u0020-\uDFFF` → `\x{20}-\x{D7FF}`).
/// - `\d \s \w` (and negations) keep Java's ASCII meaning, `.` excludes
///   Java's line terminators, `\Q…\E` quotes.
/// - Constructs the crate lacks (lookaround, backreferences, possessive
///   quantifiers) are passed through and make compilation fail.
pub fn translate_java_regex(java: &str) -> String {
    let chars: Vec<char> = java.chars().collect();
    let mut t = Translator {
        s: &chars,
        i: 0,
        out: String::with_capacity(java.len() + 16),
    };
    t.sequence();
    format!(r"\A(?:{})\z", t.out)
}

struct Translator<'a> {
    s: &'a [char],
    i: usize,
    out: String,
}

enum Esc {
    Cp(u32),
    Cps(Vec<u32>),
    /// A bracketed class, usable both outside and nested inside a class.
    Class(String),
    Raw(String),
}

enum Item {
    Cp(u32),
    Dash,
    Raw(String),
}

const JAVA_DOT: &str = r"[^\n\r\x{85}\x{2028}\x{2029}]";
const NEVER: &str = r"\x{0}&&\x{1}";

fn is_surrogate(cp: u32) -> bool {
    (0xD800..=0xDFFF).contains(&cp)
}

fn push_cp(out: &mut String, cp: u32) {
    match char::from_u32(cp) {
        Some(c) if c.is_ascii_alphanumeric() => out.push(c),
        _ => {
            let _ = write!(out, "\\x{{{cp:X}}}");
        }
    }
}

impl Translator<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.s.get(self.i + ahead).copied()
    }

    fn sequence(&mut self) {
        while let Some(c) = self.peek(0) {
            match c {
                '\\' => match self.escape() {
                    Esc::Cp(cp) => self.literal(cp),
                    Esc::Cps(cps) => {
                        for cp in cps {
                            self.literal(cp);
                        }
                    }
                    Esc::Class(class) | Esc::Raw(class) => self.out.push_str(&class),
                },
                '[' => {
                    let class = self.class();
                    self.out.push_str(&class);
                }
                '.' => {
                    self.i += 1;
                    self.out.push_str(JAVA_DOT);
                }
                _ => {
                    self.i += 1;
                    self.out.push(c);
                }
            }
        }
    }

    fn literal(&mut self, cp: u32) {
        if is_surrogate(cp) {
            // Cannot occur in a Rust string: never matches.
            let _ = write!(self.out, "[{NEVER}]");
        } else {
            push_cp(&mut self.out, cp);
        }
    }

    fn hex(&mut self, digits: usize) -> Option<u32> {
        let text: String = self.s.get(self.i..self.i + digits)?.iter().collect();
        let v = u32::from_str_radix(&text, 16).ok()?;
        self.i += digits;
        Some(v)
    }

    /// Parses the escape at `self.i` (a backslash) and moves past it.
    fn escape(&mut self) -> Esc {
        let Some(c) = self.peek(1) else {
            self.i += 1;
            return Esc::Raw(String::from("\\"));
        };
        self.i += 2;
        let class = |name: &str, negated: bool| Esc::Class(format!("[[:{}{name}:]]", if negated { "^" } else { "" }));
        match c {
            'u' => {
                let Some(cp) = self.hex(4) else {
                    return Esc::Raw(String::from("\\u"));
                };
                if (0xD800..=0xDBFF).contains(&cp) && self.peek(0) == Some('\\') && self.peek(1) == Some('u') {
                    let save = self.i;
                    self.i += 2;
                    match self.hex(4) {
                        Some(lo) if (0xDC00..=0xDFFF).contains(&lo) => {
                            return Esc::Cp(0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00));
                        }
                        _ => self.i = save,
                    }
                }
                Esc::Cp(cp)
            }
            'x' => {
                if self.peek(0) == Some('{') {
                    let start = self.i + 1;
                    let Some(len) = self.s[start..].iter().position(|&c| c == '}') else {
                        return Esc::Raw(String::from("\\x"));
                    };
                    let text: String = self.s[start..start + len].iter().collect();
                    match u32::from_str_radix(&text, 16) {
                        Ok(cp) => {
                            self.i = start + len + 1;
                            Esc::Cp(cp)
                        }
                        Err(_) => Esc::Raw(String::from("\\x")),
                    }
                } else {
                    match self.hex(2) {
                        Some(cp) => Esc::Cp(cp),
                        None => Esc::Raw(String::from("\\x")),
                    }
                }
            }
            't' => Esc::Cp(0x09),
            'n' => Esc::Cp(0x0A),
            'r' => Esc::Cp(0x0D),
            'f' => Esc::Cp(0x0C),
            'a' => Esc::Cp(0x07),
            'e' => Esc::Cp(0x1B),
            '0' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 3 {
                    match self.peek(0).and_then(|d| d.to_digit(8)) {
                        Some(d) if v * 8 + d <= 0o377 => {
                            v = v * 8 + d;
                            self.i += 1;
                            n += 1;
                        }
                        _ => break,
                    }
                }
                Esc::Cp(v)
            }
            'c' => match self.peek(0) {
                Some(x) => {
                    self.i += 1;
                    Esc::Cp(x as u32 ^ 0x40)
                }
                None => Esc::Raw(String::from("\\c")),
            },
            'd' => class("digit", false),
            'D' => class("digit", true),
            's' => class("space", false),
            'S' => class("space", true),
            'w' => class("word", false),
            'W' => class("word", true),
            'h' => Esc::Class(String::from(
                r"[\t\x{20}\x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}]",
            )),
            'H' => Esc::Class(String::from(
                r"[^\t\x{20}\x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}]",
            )),
            'v' => Esc::Class(String::from(r"[\n\x{B}\x{C}\r\x{85}\x{2028}\x{2029}]")),
            'V' => Esc::Class(String::from(r"[^\n\x{B}\x{C}\r\x{85}\x{2028}\x{2029}]")),
            'Q' => {
                let mut cps = Vec::new();
                while let Some(q) = self.peek(0) {
                    if q == '\\' && self.peek(1) == Some('E') {
                        self.i += 2;
                        break;
                    }
                    cps.push(q as u32);
                    self.i += 1;
                }
                Esc::Cps(cps)
            }
            'p' | 'P' => {
                let mut raw = format!("\\{c}");
                if self.peek(0) == Some('{') {
                    while let Some(x) = self.peek(0) {
                        raw.push(x);
                        self.i += 1;
                        if x == '}' {
                            break;
                        }
                    }
                } else if let Some(x) = self.peek(0) {
                    raw.push(x);
                    self.i += 1;
                }
                Esc::Raw(raw)
            }
            c if c.is_ascii_alphanumeric() => Esc::Raw(format!("\\{c}")),
            c => Esc::Cp(c as u32),
        }
    }

    /// Parses the class at `self.i` (a `[`) and returns it translated.
    fn class(&mut self) -> String {
        let start = self.i;
        self.i += 1;
        let negated = self.peek(0) == Some('^');
        if negated {
            self.i += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek(0) else {
                // Unterminated: hand back the source so compilation fails.
                return self.s[start..].iter().collect();
            };
            match c {
                ']' if !first => {
                    self.i += 1;
                    break;
                }
                '\\' => match self.escape() {
                    Esc::Cp(cp) => items.push(Item::Cp(cp)),
                    Esc::Cps(cps) => items.extend(cps.into_iter().map(Item::Cp)),
                    Esc::Class(class) | Esc::Raw(class) => items.push(Item::Raw(class)),
                },
                '[' => {
                    let nested = self.class();
                    items.push(Item::Raw(nested));
                }
                '&' if self.peek(1) == Some('&') => {
                    self.i += 2;
                    items.push(Item::Raw(String::from("&&")));
                }
                '-' => {
                    self.i += 1;
                    items.push(Item::Dash);
                }
                c => {
                    self.i += 1;
                    items.push(Item::Cp(c as u32));
                }
            }
            first = false;
        }

        let mut body = String::new();
        let mut k = 0;
        while k < items.len() {
            match (&items[k], items.get(k + 1), items.get(k + 2)) {
                (Item::Cp(a), Some(Item::Dash), Some(Item::Cp(b))) => {
                    let lo = if is_surrogate(*a) { 0xE000 } else { *a };
                    let hi = if is_surrogate(*b) { 0xD7FF } else { *b };
                    if lo <= hi {
                        push_cp(&mut body, lo);
                        body.push('-');
                        push_cp(&mut body, hi);
                    }
                    k += 3;
                }
                (Item::Cp(a), _, _) => {
                    if !is_surrogate(*a) {
                        push_cp(&mut body, *a);
                    }
                    k += 1;
                }
                (Item::Dash, _, _) => {
                    body.push_str(r"\-");
                    k += 1;
                }
                (Item::Raw(r), _, _) => {
                    body.push_str(r);
                    k += 1;
                }
            }
        }
        if body.is_empty() {
            body.push_str(NEVER);
        }
        format!("[{}{body}]", if negated { "^" } else { "" })
    }
}
