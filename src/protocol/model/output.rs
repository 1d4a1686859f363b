//! Output checks: walks a response body along its output shape the way a
//! strict client parses it, and lists every problem rather than stopping at
//! the first. Unlike input validation, unknown members and `null` are errors
//! (we should never send them); length, range and pattern constraints are not
//! checked (AWS's own answers do not always keep them, e.g. empty lists of a
//! shape with a minimum of one).

use super::message::is_base64;
use super::walker::json_type;
use super::*;

/// Timestamps outside 2000-01-01..2100-01-01 are reported: epoch
/// milliseconds written as seconds land far beyond.
const PLAUSIBLE_EPOCH_SECONDS: std::ops::RangeInclusive<f64> = 946_684_800.0..=4_102_444_800.0;

/// Every problem of `body` against the output shape `output`, as `path: problem`.
pub(super) fn validate(model: &Model, output: ShapeId, body: &Value) -> Vec<String> {
    let mut check = Check {
        model,
        problems: Vec::new(),
    };
    check.value(output, body, "$");
    check.problems
}

struct Check<'m> {
    model: &'m Model,
    problems: Vec<String>,
}

impl Check<'_> {
    fn value(&mut self, id: ShapeId, v: &Value, path: &str) {
        let shape = &self.model.shapes[id];
        if v.is_null() {
            return self.report(path, format_args!("null for {} (omit the member instead)", shape.name));
        }
        match &shape.kind {
            Kind::Structure(members) => {
                let Value::Object(obj) = v else {
                    return self.wrong_type(shape, "an object", v, path);
                };
                for key in obj.keys() {
                    if !members.iter().any(|m| *m.name == **key) {
                        self.report(&format!("{path}.{key}"), format_args!("not a member of {}", shape.name));
                    }
                }
                for m in members.iter() {
                    let p = format!("{path}.{}", m.name);
                    match obj.get(&*m.name) {
                        Some(child) => self.value(m.shape, child, &p),
                        None if m.required => {
                            self.report(&p, format_args!("required member of {} is missing", shape.name))
                        }
                        None => {}
                    }
                }
            }
            Kind::List(member) => {
                let Value::Array(items) = v else {
                    return self.wrong_type(shape, "an array", v, path);
                };
                for (i, item) in items.iter().enumerate() {
                    self.value(*member, item, &format!("{path}[{i}]"));
                }
            }
            Kind::Map { key, value } => {
                let Value::Object(obj) = v else {
                    return self.wrong_type(shape, "an object", v, path);
                };
                for (k, item) in obj {
                    let p = format!("{path}[{}]", Value::from(k.as_str()));
                    self.string(*key, k, &format!("{p} (key)"));
                    self.value(*value, item, &p);
                }
            }
            Kind::String => match v {
                Value::String(s) => self.string(id, s, path),
                _ => self.wrong_type(shape, "a string", v, path),
            },
            Kind::Integer | Kind::Long => {
                let (expected, fits): (&str, fn(i64) -> bool) = match shape.kind {
                    Kind::Integer => ("a 32-bit integer", |i| i32::try_from(i).is_ok()),
                    _ => ("a 64-bit integer", |_| true),
                };
                if !v.as_i64().is_some_and(fits) {
                    self.wrong_type(shape, expected, v, path);
                }
            }
            Kind::Double => {
                if !v.is_number() {
                    self.wrong_type(shape, "a number", v, path);
                }
            }
            Kind::Boolean => {
                if !v.is_boolean() {
                    self.wrong_type(shape, "a boolean", v, path);
                }
            }
            Kind::Timestamp(TimestampFormat::EpochSeconds) => match v.as_f64() {
                Some(secs) if PLAUSIBLE_EPOCH_SECONDS.contains(&secs) => {}
                Some(secs) => self.report(
                    path,
                    format_args!("{secs} is not a plausible timestamp in epoch seconds ({})", shape.name),
                ),
                None => self.wrong_type(shape, "epoch seconds as a number", v, path),
            },
            Kind::Timestamp(TimestampFormat::Text) => {
                if !v.is_string() {
                    self.wrong_type(shape, "a timestamp string", v, path);
                }
            }
            Kind::Blob => {
                if !v.as_str().is_some_and(is_base64) {
                    self.wrong_type(shape, "a base64 string", v, path);
                }
            }
            Kind::Any => {}
        }
    }

    /// A string (a value or a map key) of the string shape `id`: its enum values.
    fn string(&mut self, id: ShapeId, s: &str, path: &str) {
        let shape = &self.model.shapes[id];
        if let Some(values) = &shape.enum_values {
            if !values.iter().any(|e| **e == *s) {
                self.report(
                    path,
                    format_args!("{s:?} is not a value of {} [{}]", shape.name, values.join(", ")),
                );
            }
        }
    }

    fn wrong_type(&mut self, shape: &Shape, expected: &str, found: &Value, path: &str) {
        let found = match found {
            Value::Number(n) => format!("the number {n}"),
            other => json_type(other).to_string(),
        };
        self.report(
            path,
            format_args!("expected {expected} for {}, found {found}", shape.name),
        );
    }

    fn report(&mut self, path: &str, problem: fmt::Arguments<'_>) {
        self.problems.push(format!("{path}: {problem}"));
    }
}
