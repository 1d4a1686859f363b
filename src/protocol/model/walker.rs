//! Validation: walks a request body along its input shape and collects violations.

use super::message::{base64_decoded_len, is_base64, java_to_string, render};
use super::*;

/// Validates `body` against the input shape `input`; all constraint violations in one message.
pub(super) fn validate(model: &Model, input: ShapeId, body: &Value) -> Result<(), Violation> {
    let mut walker = Walker {
        model,
        root: &model.shapes[input].name,
        count: 0,
        listed: Vec::new(),
    };
    let root = Path {
        parent: None,
        seg: Seg::Root,
    };
    walker.value(input, body, &root)?;
    match walker.count {
        0 => Ok(()),
        1 => Err(Violation {
            kind: ViolationKind::InvalidInput,
            message: format!("1 validation error detected: {}", walker.listed[0]),
        }),
        n => Err(Violation {
            kind: ViolationKind::InvalidInput,
            message: format!("{n} validation errors detected: {}", walker.listed.join("; ")),
        }),
    }
}

/// A path from the input shape to the value being checked, kept on the stack
/// and only rendered when something is reported.
#[derive(Clone, Copy)]
pub(super) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Seg<'a>,
}

#[derive(Clone, Copy)]
pub(super) enum Seg<'a> {
    Root,
    Member(&'a Member),
    Index(usize),
    Key(&'a str),
}

impl<'a> Path<'a> {
    fn child(&'a self, seg: Seg<'a>) -> Path<'a> {
        Path {
            parent: Some(self),
            seg,
        }
    }

    fn segments(&self) -> Vec<Seg<'a>> {
        let mut segs = Vec::new();
        let mut p = Some(self);
        while let Some(cur) = p {
            if !matches!(cur.seg, Seg::Root) {
                segs.push(cur.seg);
            }
            p = cur.parent;
        }
        segs.reverse();
        segs
    }

    /// Coral's form: `actions.1.member.arguments.--key`.
    fn coral(&self) -> String {
        let mut out = String::new();
        for (i, seg) in self.segments().into_iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            match seg {
                Seg::Root => {}
                Seg::Member(m) => out.push_str(&m.camel),
                Seg::Index(n) => {
                    let _ = write!(out, "{}.member", n + 1);
                }
                Seg::Key(k) => out.push_str(k),
            }
        }
        out
    }

    /// The serialization form: `CreateTriggerRequest.Actions[0].Arguments.--key`.
    fn shape_path(&self, root: &str) -> String {
        let mut out = String::from(root);
        for seg in self.segments() {
            match seg {
                Seg::Root => {}
                Seg::Member(m) => {
                    out.push('.');
                    out.push_str(&m.name);
                }
                Seg::Index(n) => {
                    let _ = write!(out, "[{n}]");
                }
                Seg::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
            }
        }
        out
    }
}

pub(super) struct Walker<'m> {
    model: &'m Model,
    root: &'m str,
    count: usize,
    listed: Vec<String>,
}

impl<'m> Walker<'m> {
    fn value(&mut self, id: ShapeId, v: &Value, path: &Path<'_>) -> Result<(), Violation> {
        let model = self.model;
        let shape = &model.shapes[id];
        match &shape.kind {
            Kind::Structure(members) => {
                let Value::Object(obj) = v else {
                    return Err(self.type_error(path, "an object", v));
                };
                for m in members.iter() {
                    let p = path.child(Seg::Member(m));
                    match obj.get(&*m.name) {
                        None | Some(Value::Null) => {
                            if m.required {
                                self.report(&p, Subject::Null, format_args!("Member must not be null"));
                            }
                        }
                        Some(child) => self.value(m.shape, child, &p)?,
                    }
                }
            }
            Kind::List(member) => {
                let Value::Array(items) = v else {
                    return Err(self.type_error(path, "an array", v));
                };
                self.check_length(shape, items.len(), v, path);
                for (i, item) in items.iter().enumerate() {
                    let p = path.child(Seg::Index(i));
                    self.element(*member, item, &p)?;
                }
            }
            Kind::Map { key, value } => {
                let Value::Object(obj) = v else {
                    return Err(self.type_error(path, "an object", v));
                };
                self.check_length(shape, obj.len(), v, path);
                let key_shape = &model.shapes[*key];
                let check_keys = matches!(key_shape.kind, Kind::String);
                for (k, item) in obj {
                    if check_keys {
                        self.check_string(key_shape, k, Subject::Str(k), path, true);
                    }
                    let p = path.child(Seg::Key(k));
                    self.element(*value, item, &p)?;
                }
            }
            Kind::String => {
                let Value::String(s) = v else {
                    return Err(self.type_error(path, "a string", v));
                };
                self.check_string(shape, s, Subject::Json(v), path, false);
            }
            Kind::Integer | Kind::Long => {
                let expected = if matches!(shape.kind, Kind::Integer) {
                    "an integer"
                } else {
                    "a long"
                };
                let Value::Number(n) = v else {
                    return Err(self.type_error(path, expected, v));
                };
                let Some(i) = n.as_i64() else {
                    let found = if n.is_f64() {
                        "a number with a fraction or exponent"
                    } else {
                        "a number out of range"
                    };
                    return Err(self.serialization(path, expected, found));
                };
                if matches!(shape.kind, Kind::Integer) && i32::try_from(i).is_err() {
                    return Err(self.serialization(path, expected, "a number out of range"));
                }
                if let Some(max) = shape.max {
                    if max.int.map_or(i as f64 > max.float, |m| i > m) {
                        self.report(
                            path,
                            Subject::Json(v),
                            format_args!("Member must have value less than or equal to {max}"),
                        );
                    }
                }
                if let Some(min) = shape.min {
                    if min.int.map_or((i as f64) < min.float, |m| i < m) {
                        self.report(
                            path,
                            Subject::Json(v),
                            format_args!("Member must have value greater than or equal to {min}"),
                        );
                    }
                }
            }
            Kind::Double => {
                let Value::Number(n) = v else {
                    return Err(self.type_error(path, "a number", v));
                };
                let x = n.as_f64().unwrap_or(f64::NAN);
                if let Some(max) = shape.max {
                    if x > max.float {
                        self.report(
                            path,
                            Subject::Json(v),
                            format_args!("Member must have value less than or equal to {max}"),
                        );
                    }
                }
                if let Some(min) = shape.min {
                    if x < min.float {
                        self.report(
                            path,
                            Subject::Json(v),
                            format_args!("Member must have value greater than or equal to {min}"),
                        );
                    }
                }
            }
            Kind::Boolean => {
                if !v.is_boolean() {
                    return Err(self.type_error(path, "a boolean", v));
                }
            }
            Kind::Timestamp(_) => {
                if !(v.is_number() || v.is_string()) {
                    return Err(self.type_error(path, "a timestamp (epoch seconds or a string)", v));
                }
            }
            Kind::Blob => {
                let Value::String(s) = v else {
                    return Err(self.type_error(path, "a base64 string", v));
                };
                if !is_base64(s) {
                    return Err(self.serialization(path, "a base64 string", "a string that is not base64"));
                }
                // Length constraints on blobs count decoded bytes.
                self.check_length(shape, base64_decoded_len(s), v, path);
            }
            Kind::Any => {}
        }
        Ok(())
    }

    /// A list element or map value: `null` there is a violation, not absence.
    fn element(&mut self, id: ShapeId, v: &Value, path: &Path<'_>) -> Result<(), Violation> {
        if v.is_null() {
            self.report(path, Subject::Null, format_args!("Member must not be null"));
            Ok(())
        } else {
            self.value(id, v, path)
        }
    }

    fn check_length(&mut self, shape: &Shape, len: usize, v: &Value, path: &Path<'_>) {
        let len = i64::try_from(len).unwrap_or(i64::MAX);
        if let (Some(max_len), Some(max)) = (shape.max_len, shape.max) {
            if len > max_len {
                self.report(
                    path,
                    Subject::Json(v),
                    format_args!("Member must have length less than or equal to {max}"),
                );
            }
        }
        if let (Some(min_len), Some(min)) = (shape.min_len, shape.min) {
            if len < min_len {
                self.report(
                    path,
                    Subject::Json(v),
                    format_args!("Member must have length greater than or equal to {min}"),
                );
            }
        }
    }

    /// Length, pattern and enum checks of a string. A map key (`as_key`) is
    /// reported at the map's path as `Map keys must satisfy constraint: [...]`.
    fn check_string(&mut self, shape: &Shape, s: &str, subject: Subject<'_>, path: &Path<'_>, as_key: bool) {
        if shape.max_len.is_some() || shape.min_len.is_some() {
            let (max, min) = (shape.max_len, shape.min_len);
            // Count characters only when the byte length cannot decide: a
            // character takes 1 to 4 bytes.
            let bytes = i64::try_from(s.len()).unwrap_or(i64::MAX);
            if max.is_some_and(|m| bytes > m) || min.is_some_and(|m| bytes / 4 < m) {
                let chars = i64::try_from(s.chars().count()).unwrap_or(i64::MAX);
                if let (Some(m), Some(limit)) = (max, shape.max) {
                    if chars > m {
                        self.report_as(
                            path,
                            subject,
                            as_key,
                            format_args!("Member must have length less than or equal to {limit}"),
                        );
                    }
                }
                if let (Some(m), Some(limit)) = (min, shape.min) {
                    if chars < m {
                        self.report_as(
                            path,
                            subject,
                            as_key,
                            format_args!("Member must have length greater than or equal to {limit}"),
                        );
                    }
                }
            }
        }
        if let Some(p) = &shape.pattern {
            if !p.regex.is_match(s) {
                self.report_as(
                    path,
                    subject,
                    as_key,
                    format_args!("Member must satisfy regular expression pattern: {}", p.source),
                );
            }
        }
        if let Some(values) = &shape.enum_values {
            if !values.iter().any(|e| **e == *s) {
                self.report_as(
                    path,
                    subject,
                    as_key,
                    format_args!("Member must satisfy enum value set: [{}]", values.join(", ")),
                );
            }
        }
    }

    fn report_as(&mut self, path: &Path<'_>, subject: Subject<'_>, as_key: bool, constraint: fmt::Arguments<'_>) {
        if as_key {
            self.report(
                path,
                subject,
                format_args!("Map keys must satisfy constraint: [{constraint}]"),
            );
        } else {
            self.report(path, subject, constraint);
        }
    }

    fn report(&mut self, path: &Path<'_>, subject: Subject<'_>, constraint: fmt::Arguments<'_>) {
        self.count += 1;
        if self.listed.len() < MAX_LISTED_VIOLATIONS {
            let value = match subject {
                Subject::Null => String::from("null"),
                Subject::Json(v) => render(|w| java_to_string(v, w)),
                Subject::Str(s) => render(|w| w.write_str(s)),
            };
            self.listed.push(format!(
                "Value {value} at '{}' failed to satisfy constraint: {constraint}",
                path.coral()
            ));
        }
    }

    fn type_error(&self, path: &Path<'_>, expected: &str, found: &Value) -> Violation {
        self.serialization(path, expected, json_type(found))
    }

    fn serialization(&self, path: &Path<'_>, expected: &str, found: &str) -> Violation {
        Violation {
            kind: ViolationKind::Serialization,
            message: format!("Expected {expected} for {}, found {found}", path.shape_path(self.root)),
        }
    }
}

/// The value a violation is about.
#[derive(Clone, Copy)]
pub(super) enum Subject<'a> {
    Null,
    Json(&'a Value),
    Str(&'a str),
}

pub(super) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
