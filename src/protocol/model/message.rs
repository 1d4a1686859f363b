//! Values in messages, rendered like Java's `toString`, and base64 blob checks.

use super::*;

/// Writes at most `left` characters, then remembers that it cut.
pub(super) struct Limited {
    out: String,
    left: usize,
    cut: bool,
}

impl fmt::Write for Limited {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.cut {
            return Err(fmt::Error);
        }
        for c in s.chars() {
            if self.left == 0 {
                self.cut = true;
                return Err(fmt::Error);
            }
            self.out.push(c);
            self.left -= 1;
        }
        Ok(())
    }
}

pub(super) fn java_to_string(v: &Value, w: &mut Limited) -> fmt::Result {
    match v {
        Value::Null => w.write_str("null"),
        Value::Bool(b) => write!(w, "{b}"),
        Value::Number(n) => write!(w, "{n}"),
        Value::String(s) => w.write_str(s),
        Value::Array(items) => {
            w.write_char('[')?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    w.write_str(", ")?;
                }
                java_to_string(item, w)?;
            }
            w.write_char(']')
        }
        Value::Object(obj) => {
            w.write_char('{')?;
            for (i, (k, item)) in obj.iter().enumerate() {
                if i > 0 {
                    w.write_str(", ")?;
                }
                w.write_str(k)?;
                w.write_char('=')?;
                java_to_string(item, w)?;
            }
            w.write_char('}')
        }
    }
}

/// `'value'`, cut to [`MAX_VALUE_CHARS`] characters and marked with `...`.
pub(super) fn render(write: impl FnOnce(&mut Limited) -> fmt::Result) -> String {
    let mut w = Limited {
        out: String::from("'"),
        left: MAX_VALUE_CHARS,
        cut: false,
    };
    let _ = write(&mut w);
    if w.cut {
        w.out.push_str("...");
    }
    w.out.push('\'');
    w.out
}

pub(super) fn is_base64(s: &str) -> bool {
    let b = s.as_bytes();
    let body = b.iter().take_while(|&&c| c != b'=').count();
    let pad = b.len() - body;
    pad <= 2
        && b[body..].iter().all(|&c| c == b'=')
        && b[..body]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
        && (if pad > 0 {
            b.len().is_multiple_of(4)
        } else {
            body % 4 != 1
        })
}

pub(super) fn base64_decoded_len(s: &str) -> usize {
    let body = s.trim_end_matches('=').len();
    body * 3 / 4
}
