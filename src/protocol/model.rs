//! Model-driven input validation for AWS JSON 1.1 requests.
//!
//! The model is the subset of botocore's service model that
//! `tools/extract-model.py` writes to `model/glue.json`: operations (input,
//! output and error shape names) and every shape reachable from the input
//! shapes, reduced to what validation needs (`type`, `members` as
//! `[name, target]` pairs in model order, `required`, `min`, `max`, `enum`,
//! `pattern`, list `member`, map `key`/`value`). Nothing here knows about
//! Glue: everything comes from the data.
//!
//! Validation follows what AWS does for JSON 1.1 services:
//! - a value of the wrong JSON type is a [`ViolationKind::Serialization`]
//!   error and wins over everything else (AWS fails to deserialize before it
//!   validates); its message names the member as `InputShape.Member[0].Key`;
//! - constraint violations (`required`, length, value range, enum, pattern)
//!   are all collected and reported together as one
//!   [`ViolationKind::InvalidInput`] error in Coral's format, e.g.
//!   `1 validation error detected: Value null at 'name' failed to satisfy
//!   constraint: Member must not be null`.
//!
//! Our choices where AWS is unknown:
//! - Coral paths are lowerCamelCase member names (first letter lowered)
//!   joined by `.`; list elements are `list.N.member` with N counted from 1;
//!   map values are `map.<key>`. A map key that breaks its key shape is
//!   reported at the map's path with the key as the value and the text
//!   `Map keys must satisfy constraint: [<constraint>]`.
//! - JSON `null` for a member counts as absent; a `null` list element or map
//!   value is reported as `Member must not be null`. Unknown members are
//!   ignored.
//! - Violations are reported in model member order (for one value: maximum
//!   length, minimum length, pattern, enum); the message counts all of them
//!   but lists at most [`MAX_LISTED_VIOLATIONS`].
//! - Values in messages are rendered like Java's `toString` (`[a, b]`,
//!   `{k=v}`) and cut to [`MAX_VALUE_CHARS`] characters followed by `...`.
//! - String lengths count Unicode scalar values.
//! - Patterns are Java regular expressions, translated once at parse time to
//!   the `regex` crate's syntax and matched against the whole value. A pattern
//!   that does not compile after translation is skipped and listed by
//!   [`Model::skipped_patterns`].
//!
//! Everything is resolved at parse time (shape references to indices,
//! regexes compiled once and shared); validating a valid request allocates
//! nothing.

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};

use regex::Regex;
use serde::Deserialize;
use serde_json::{Number, Value};

/// At most this many violations are spelled out in one message.
pub const MAX_LISTED_VIOLATIONS: usize = 10;
/// Values longer than this many characters are cut in messages.
pub const MAX_VALUE_CHARS: usize = 64;

/// Why a request body was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViolationKind {
    /// The body is not a JSON object, or a member has the wrong JSON type.
    Serialization,
    /// One or more model constraints are not met (Coral validation).
    InvalidInput,
}

/// A rejected request body: what kind of error, and the message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub kind: ViolationKind,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Violation {}

/// One operation of the model.
#[derive(Debug, Clone)]
pub struct Operation {
    name: Box<str>,
    input_name: Option<Box<str>>,
    input: Option<ShapeId>,
    output: Option<Box<str>>,
    errors: Box<[Box<str>]>,
}

impl Operation {
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The input shape's name, e.g. `CreateWorkflowRequest`.
    pub fn input_shape(&self) -> Option<&str> {
        self.input_name.as_deref()
    }
    /// The output shape's name, e.g. `CreateWorkflowResponse`.
    pub fn output_shape(&self) -> Option<&str> {
        self.output.as_deref()
    }
    /// The error shape names the operation declares, in model order.
    pub fn errors(&self) -> impl Iterator<Item = &str> {
        self.errors.iter().map(|e| &**e)
    }
}

/// A model pattern that did not compile after translation (and is therefore
/// not checked).
#[derive(Debug, Clone)]
pub struct SkippedPattern {
    pub shape: String,
    pub pattern: String,
    pub error: String,
}

/// A parsed, resolved service model.
#[derive(Debug)]
pub struct Model {
    operations: Vec<Operation>,
    by_name: HashMap<Box<str>, usize>,
    shapes: Vec<Shape>,
    pattern_count: usize,
    skipped: Vec<SkippedPattern>,
}

type ShapeId = usize;

#[derive(Debug)]
struct Shape {
    name: Box<str>,
    kind: Kind,
    min: Option<Limit>,
    max: Option<Limit>,
    /// `min`/`max` as whole lengths, for strings, lists, maps and blobs.
    min_len: Option<i64>,
    max_len: Option<i64>,
    enum_values: Option<Box<[Box<str>]>>,
    pattern: Option<Pattern>,
}

#[derive(Debug)]
enum Kind {
    Structure(Box<[Member]>),
    List(ShapeId),
    Map {
        key: ShapeId,
        value: ShapeId,
    },
    String,
    Integer,
    Long,
    Double,
    Boolean,
    Timestamp,
    Blob,
    /// `document` and unknown types: any JSON value.
    Any,
}

#[derive(Debug)]
struct Member {
    name: Box<str>,
    camel: Box<str>,
    shape: ShapeId,
    required: bool,
}

/// A `min`/`max` bound, kept both ways so integers compare exactly.
#[derive(Debug, Clone, Copy)]
struct Limit {
    int: Option<i64>,
    float: f64,
}

impl Limit {
    fn from_number(n: &Number) -> Option<Limit> {
        let float = n.as_f64()?;
        Some(Limit { int: n.as_i64(), float })
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.int {
            Some(i) => write!(f, "{i}"),
            None => write!(f, "{}", self.float),
        }
    }
}

#[derive(Debug)]
struct Pattern {
    source: Box<str>,
    regex: Regex,
}

// ---------------------------------------------------------------------------
// Parsing

#[derive(Deserialize)]
struct RawModel {
    operations: BTreeMap<String, RawOperation>,
    shapes: BTreeMap<String, RawShape>,
}

#[derive(Deserialize)]
struct RawOperation {
    name: Option<String>,
    input: Option<String>,
    output: Option<String>,
    #[serde(default)]
    errors: Vec<String>,
}

#[derive(Deserialize)]
struct RawShape {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    members: Vec<(String, String)>,
    #[serde(default)]
    required: Vec<String>,
    min: Option<Number>,
    max: Option<Number>,
    #[serde(rename = "enum")]
    enum_values: Option<Vec<String>>,
    pattern: Option<String>,
    member: Option<String>,
    key: Option<String>,
    value: Option<String>,
}

impl Model {
    /// Parses and resolves the text of `model/glue.json`.
    pub fn parse(json: &str) -> Result<Model, String> {
        let raw: RawModel = serde_json::from_str(json).map_err(|e| format!("invalid model JSON: {e}"))?;

        // Shapes get indices in name order (BTreeMap), so ids are stable.
        let index: HashMap<&str, ShapeId> = raw
            .shapes
            .keys()
            .enumerate()
            .map(|(i, name)| (name.as_str(), i))
            .collect();
        let resolve = |from: &str, target: &Option<String>, what: &str| -> Result<ShapeId, String> {
            let target = target
                .as_deref()
                .ok_or_else(|| format!("shape {from}: missing {what}"))?;
            index
                .get(target)
                .copied()
                .ok_or_else(|| format!("shape {from}: {what} refers to unknown shape {target}"))
        };

        let mut regexes: HashMap<&str, Regex> = HashMap::new();
        let mut pattern_count = 0;
        let mut skipped = Vec::new();
        let mut shapes = Vec::with_capacity(raw.shapes.len());
        for (name, rs) in &raw.shapes {
            let kind = match rs.kind.as_str() {
                "structure" => {
                    for r in &rs.required {
                        if !rs.members.iter().any(|(m, _)| m == r) {
                            return Err(format!("shape {name}: required member {r} is not a member"));
                        }
                    }
                    let mut members = Vec::with_capacity(rs.members.len());
                    for (m, target) in &rs.members {
                        let shape = index
                            .get(target.as_str())
                            .copied()
                            .ok_or_else(|| format!("shape {name}: member {m} refers to unknown shape {target}"))?;
                        members.push(Member {
                            name: m.as_str().into(),
                            camel: lower_camel(m).into(),
                            shape,
                            required: rs.required.iter().any(|r| r == m),
                        });
                    }
                    Kind::Structure(members.into())
                }
                "list" => Kind::List(resolve(name, &rs.member, "member")?),
                "map" => Kind::Map {
                    key: resolve(name, &rs.key, "key")?,
                    value: resolve(name, &rs.value, "value")?,
                },
                "string" => Kind::String,
                "integer" | "short" | "byte" => Kind::Integer,
                "long" => Kind::Long,
                "double" | "float" => Kind::Double,
                "boolean" => Kind::Boolean,
                "timestamp" => Kind::Timestamp,
                "blob" => Kind::Blob,
                _ => Kind::Any,
            };
            let limit = |n: &Option<Number>, what: &str| -> Result<Option<Limit>, String> {
                match n {
                    None => Ok(None),
                    Some(n) => Limit::from_number(n)
                        .map(Some)
                        .ok_or_else(|| format!("shape {name}: bad {what} {n}")),
                }
            };
            let pattern = match &rs.pattern {
                None => None,
                Some(source) => {
                    let compiled = match regexes.get(source.as_str()) {
                        Some(re) => Ok(re.clone()),
                        None => Regex::new(&translate_java_regex(source)),
                    };
                    match compiled {
                        Ok(regex) => {
                            regexes.insert(source.as_str(), regex.clone());
                            pattern_count += 1;
                            Some(Pattern {
                                source: source.as_str().into(),
                                regex,
                            })
                        }
                        Err(e) => {
                            skipped.push(SkippedPattern {
                                shape: name.clone(),
                                pattern: source.clone(),
                                error: e.to_string(),
                            });
                            None
                        }
                    }
                }
            };
            let min = limit(&rs.min, "min")?;
            let max = limit(&rs.max, "max")?;
            shapes.push(Shape {
                name: name.as_str().into(),
                kind,
                min,
                max,
                min_len: min.map(|m| m.int.unwrap_or(m.float.ceil() as i64)),
                max_len: max.map(|m| m.int.unwrap_or(m.float.floor() as i64)),
                enum_values: rs
                    .enum_values
                    .as_ref()
                    .map(|v| v.iter().map(|s| s.as_str().into()).collect()),
                pattern,
            });
        }

        let mut operations = Vec::with_capacity(raw.operations.len());
        let mut by_name = HashMap::with_capacity(raw.operations.len());
        for (key, ro) in &raw.operations {
            let name = ro.name.as_deref().unwrap_or(key);
            let input = match &ro.input {
                None => None,
                Some(_) => Some(resolve(name, &ro.input, "input")?),
            };
            if by_name.insert(name.into(), operations.len()).is_some() {
                return Err(format!("duplicate operation {name}"));
            }
            operations.push(Operation {
                name: name.into(),
                input_name: ro.input.as_deref().map(Into::into),
                input,
                output: ro.output.as_deref().map(Into::into),
                errors: ro.errors.iter().map(|e| e.as_str().into()).collect(),
            });
        }

        Ok(Model {
            operations,
            by_name,
            shapes,
            pattern_count,
            skipped,
        })
    }

    pub fn has_operation(&self, op: &str) -> bool {
        self.by_name.contains_key(op)
    }

    /// Operation names in alphabetical order.
    pub fn operation_names(&self) -> impl Iterator<Item = &str> {
        self.operations.iter().map(|o| &*o.name)
    }

    pub fn operation(&self, op: &str) -> Option<&Operation> {
        self.by_name.get(op).map(|&i| &self.operations[i])
    }

    /// Number of shapes whose pattern compiled and is checked.
    pub fn pattern_count(&self) -> usize {
        self.pattern_count
    }

    /// Patterns that did not compile and are not checked.
    pub fn skipped_patterns(&self) -> &[SkippedPattern] {
        &self.skipped
    }

    /// Checks a decoded request body against the operation's input shape.
    ///
    /// An operation that is not in the model (or has no input shape) only
    /// requires the body to be a JSON object: callers answer unknown targets
    /// before validating.
    pub fn validate_input(&self, op: &str, body: &Value) -> Result<(), Violation> {
        let operation = self.operation(op);
        let Some(input) = operation.and_then(|o| o.input) else {
            return match body {
                Value::Object(_) => Ok(()),
                other => Err(Violation {
                    kind: ViolationKind::Serialization,
                    message: format!(
                        "Expected an object for the {op} request body, found {}",
                        json_type(other)
                    ),
                }),
            };
        };
        let mut walker = Walker {
            model: self,
            root: &self.shapes[input].name,
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
}

fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------
// Validation

/// A path from the input shape to the value being checked, kept on the stack
/// and only rendered when something is reported.
#[derive(Clone, Copy)]
struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Seg<'a>,
}

#[derive(Clone, Copy)]
enum Seg<'a> {
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

struct Walker<'m> {
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
            Kind::Timestamp => {
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
enum Subject<'a> {
    Null,
    Json(&'a Value),
    Str(&'a str),
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Writes at most `left` characters, then remembers that it cut.
struct Limited {
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

fn java_to_string(v: &Value, w: &mut Limited) -> fmt::Result {
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
fn render(write: impl FnOnce(&mut Limited) -> fmt::Result) -> String {
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

fn is_base64(s: &str) -> bool {
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

fn base64_decoded_len(s: &str) -> usize {
    let body = s.trim_end_matches('=').len();
    body * 3 / 4
}

// ---------------------------------------------------------------------------
// Java regex → regex crate

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::OnceLock;

    fn model() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| Model::parse(include_str!("../../model/glue.json")).unwrap())
    }

    fn invalid(op: &str, body: Value) -> String {
        let v = model().validate_input(op, &body).unwrap_err();
        assert_eq!(v.kind, ViolationKind::InvalidInput, "{}", v.message);
        v.message
    }

    fn serialization(op: &str, body: Value) -> String {
        let v = model().validate_input(op, &body).unwrap_err();
        assert_eq!(v.kind, ViolationKind::Serialization, "{}", v.message);
        v.message
    }

    fn ok(op: &str, body: Value) {
        if let Err(v) = model().validate_input(op, &body) {
            panic!("{op} rejected: {v:?}");
        }
    }

    const NAME_PATTERN: &str = r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*";

    #[test]
    fn model_loads_with_all_operations() {
        let m = model();
        assert_eq!(m.operation_names().count(), 47);
        assert!(m.has_operation("ResumeWorkflowRun"));
        assert!(!m.has_operation("CreateTable"));
        let names: Vec<&str> = m.operation_names().collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        let op = m.operation("ResumeWorkflowRun").unwrap();
        assert_eq!(op.input_shape(), Some("ResumeWorkflowRunRequest"));
        assert_eq!(op.output_shape(), Some("ResumeWorkflowRunResponse"));
        assert!(op.errors().any(|e| e == "IllegalWorkflowStateException"));
    }

    #[test]
    fn every_pattern_in_the_model_compiles() {
        let m = model();
        assert!(m.skipped_patterns().is_empty(), "skipped: {:#?}", m.skipped_patterns());
        let text = include_str!("../../model/glue.json");
        assert_eq!(m.pattern_count(), text.matches("\"pattern\":").count());
        assert!(m.pattern_count() > 20);
    }

    #[test]
    fn valid_create_workflow_passes() {
        ok(
            "CreateWorkflow",
            json!({
                "Name": "nightly",
                "Description": "multi\nline",
                "DefaultRunProperties": {"stage": "prod", "empty": ""},
                "Tags": {"team": "data", "empty": ""},
                "MaxConcurrentRuns": 3
            }),
        );
        ok("CreateWorkflow", json!({"Name": "x"}));
    }

    #[test]
    fn missing_name() {
        assert_eq!(
            invalid("CreateWorkflow", json!({"Description": "d"})),
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn null_is_absent() {
        ok(
            "CreateWorkflow",
            json!({"Name": "w", "Description": null, "Tags": null, "MaxConcurrentRuns": null}),
        );
        assert_eq!(
            invalid("CreateWorkflow", json!({"Name": null})),
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn unknown_members_are_ignored() {
        ok(
            "CreateWorkflow",
            json!({"Name": "w", "Bogus": [1, {"x": null}], "name": 5}),
        );
    }

    #[test]
    fn name_too_long() {
        let long = "a".repeat(256);
        assert_eq!(
            invalid("CreateWorkflow", json!({"Name": long})),
            format!(
                "1 validation error detected: Value '{}...' at 'name' failed to satisfy constraint: \
                 Member must have length less than or equal to 255",
                "a".repeat(MAX_VALUE_CHARS)
            )
        );
        // Exactly 255 characters, each several bytes, is fine.
        ok("CreateWorkflow", json!({"Name": "é".repeat(255)}));
        ok("CreateWorkflow", json!({"Name": "😀".repeat(255)}));
        assert!(invalid("CreateWorkflow", json!({"Name": "😀".repeat(256)})).ends_with("less than or equal to 255"));
    }

    #[test]
    fn empty_name_breaks_minimum_length() {
        assert_eq!(
            invalid("GetWorkflow", json!({"Name": ""})),
            "1 validation error detected: Value '' at 'name' failed to satisfy constraint: \
             Member must have length greater than or equal to 1"
        );
    }

    #[test]
    fn wrong_types_are_serialization_errors() {
        assert_eq!(
            serialization("CreateWorkflow", json!({"Name": 5})),
            "Expected a string for CreateWorkflowRequest.Name, found a number"
        );
        assert_eq!(
            serialization("CreateWorkflow", json!({"Name": "w", "MaxConcurrentRuns": "3"})),
            "Expected an integer for CreateWorkflowRequest.MaxConcurrentRuns, found a string"
        );
        assert_eq!(
            serialization("CreateWorkflow", json!({"Name": "w", "MaxConcurrentRuns": 1.5})),
            "Expected an integer for CreateWorkflowRequest.MaxConcurrentRuns, \
             found a number with a fraction or exponent"
        );
        assert_eq!(
            serialization(
                "CreateWorkflow",
                json!({"Name": "w", "MaxConcurrentRuns": 3_000_000_000u64})
            ),
            "Expected an integer for CreateWorkflowRequest.MaxConcurrentRuns, found a number out of range"
        );
        assert_eq!(
            serialization("CreateWorkflow", json!({"Name": "w", "Tags": ["a"]})),
            "Expected an object for CreateWorkflowRequest.Tags, found an array"
        );
        assert_eq!(
            serialization("CreateWorkflow", json!({"Name": "w", "Tags": {"k": 1}})),
            "Expected a string for CreateWorkflowRequest.Tags.k, found a number"
        );
        assert_eq!(
            serialization(
                "CreateTrigger",
                json!({"Name": "t", "Type": "ON_DEMAND", "Actions": [{}], "StartOnCreation": "true"})
            ),
            "Expected a boolean for CreateTriggerRequest.StartOnCreation, found a string"
        );
        assert_eq!(
            serialization(
                "CreateTrigger",
                json!({"Name": "t", "Type": "ON_DEMAND", "Actions": [{"JobName": "j"}, "job"]})
            ),
            "Expected an object for CreateTriggerRequest.Actions[1], found a string"
        );
        assert_eq!(
            serialization("ResumeWorkflowRun", json!({"Name": "w", "RunId": "r", "NodeIds": "n"})),
            "Expected an array for ResumeWorkflowRunRequest.NodeIds, found a string"
        );
        // A long is any 64-bit integer; a double any number.
        ok("GetCrawlerMetrics", json!({"MaxResults": 5}));
        ok("StartJobRun", json!({"JobName": "j", "MaxCapacity": 2}));
        ok("StartJobRun", json!({"JobName": "j", "MaxCapacity": 0.0625}));
        assert_eq!(
            serialization("StartJobRun", json!({"JobName": "j", "MaxCapacity": "2"})),
            "Expected a number for StartJobRunRequest.MaxCapacity, found a string"
        );
    }

    #[test]
    fn a_type_error_wins_over_constraint_violations() {
        // The missing Name would be InvalidInput, but deserialization fails first.
        assert_eq!(
            serialization("CreateWorkflow", json!({"MaxConcurrentRuns": true})),
            "Expected an integer for CreateWorkflowRequest.MaxConcurrentRuns, found a boolean"
        );
    }

    #[test]
    fn body_must_be_an_object() {
        for body in [json!([]), json!("x"), json!(null), json!(1)] {
            let v = model().validate_input("GetWorkflow", &body).unwrap_err();
            assert_eq!(v.kind, ViolationKind::Serialization);
            assert!(v
                .message
                .starts_with("Expected an object for GetWorkflowRequest, found "));
        }
        // Operations without constraints accept the empty object.
        ok("ListWorkflows", json!({}));
    }

    #[test]
    fn unknown_enum_value() {
        assert_eq!(
            invalid(
                "CreateTrigger",
                json!({"Name": "t", "Type": "NIGHTLY", "Actions": [{"JobName": "j"}]})
            ),
            "1 validation error detected: Value 'NIGHTLY' at 'type' failed to satisfy constraint: \
             Member must satisfy enum value set: [SCHEDULED, CONDITIONAL, ON_DEMAND, EVENT]"
        );
        ok(
            "CreateTrigger",
            json!({"Name": "t", "Type": "ON_DEMAND", "Actions": [{"JobName": "j"}]}),
        );
    }

    #[test]
    fn nested_violations_in_lists_and_maps() {
        let long = "j".repeat(300);
        let msg = invalid(
            "CreateTrigger",
            json!({
                "Name": "t",
                "Type": "CONDITIONAL",
                "Predicate": {"Logical": "ALL", "Conditions": [
                    {"LogicalOperator": "EQUALS", "JobName": "a", "State": "SUCCEEDED"},
                    {"LogicalOperator": "EQUALS", "JobName": "b", "State": "DONE"}
                ]},
                "Actions": [
                    {"JobName": "j", "Timeout": 10, "Arguments": {"--x": "y"}},
                    {"JobName": long, "Timeout": 0}
                ],
                "Tags": {"k": "v".repeat(257)}
            }),
        );
        let expected = [
            "5 validation errors detected: Value 'ALL' at 'predicate.logical' failed to satisfy constraint: \
             Member must satisfy enum value set: [AND, ANY]",
            "Value 'DONE' at 'predicate.conditions.2.member.state' failed to satisfy constraint: \
             Member must satisfy enum value set: [STARTING, RUNNING, STOPPING, STOPPED, SUCCEEDED, FAILED, TIMEOUT, ERROR, WAITING, EXPIRED]",
            &format!(
                "Value '{}...' at 'actions.2.member.jobName' failed to satisfy constraint: \
                 Member must have length less than or equal to 255",
                "j".repeat(MAX_VALUE_CHARS)
            ),
            "Value '0' at 'actions.2.member.timeout' failed to satisfy constraint: \
             Member must have value greater than or equal to 1",
            &format!(
                "Value '{}...' at 'tags.k' failed to satisfy constraint: \
                 Member must have length less than or equal to 256",
                "v".repeat(MAX_VALUE_CHARS)
            ),
        ]
        .join("; ");
        assert_eq!(msg, expected);
    }

    #[test]
    fn map_keys_are_checked_against_the_key_shape() {
        assert_eq!(
            invalid("CreateWorkflow", json!({"Name": "w", "Tags": {"": "v"}})),
            "1 validation error detected: Value '' at 'tags' failed to satisfy constraint: \
             Map keys must satisfy constraint: [Member must have length greater than or equal to 1]"
        );
        assert_eq!(
            invalid(
                "PutWorkflowRunProperties",
                json!({"Name": "w", "RunId": "r", "RunProperties": {"bad\nkey": "v"}})
            ),
            format!(
                "1 validation error detected: Value 'bad\nkey' at 'runProperties' failed to satisfy constraint: \
                 Map keys must satisfy constraint: [Member must satisfy regular expression pattern: {NAME_PATTERN}]"
            )
        );
    }

    #[test]
    fn map_entry_count_is_a_length() {
        let tags: serde_json::Map<String, Value> = (0..51).map(|i| (format!("k{i}"), json!("v"))).collect();
        let msg = invalid("CreateWorkflow", json!({"Name": "w", "Tags": tags}));
        assert!(
            msg.starts_with("1 validation error detected: Value '{k0=v, k1=v, "),
            "{msg}"
        );
        assert!(msg.contains("...' at 'tags' failed"), "{msg}");
        assert!(
            msg.ends_with("Member must have length less than or equal to 50"),
            "{msg}"
        );
    }

    #[test]
    fn resume_workflow_run_node_ids() {
        ok(
            "ResumeWorkflowRun",
            json!({"Name": "w", "RunId": "wr_1", "NodeIds": ["wnode_a", "wnode_b"]}),
        );
        assert_eq!(
            invalid("ResumeWorkflowRun", json!({"Name": "w", "RunId": "wr_1"})),
            "1 validation error detected: Value null at 'nodeIds' failed to satisfy constraint: \
             Member must not be null"
        );
        assert_eq!(
            invalid(
                "ResumeWorkflowRun",
                json!({"Name": "w", "RunId": "wr_1", "NodeIds": ["wnode_a", "", null]})
            ),
            "2 validation errors detected: \
             Value '' at 'nodeIds.2.member' failed to satisfy constraint: \
             Member must have length greater than or equal to 1; \
             Value null at 'nodeIds.3.member' failed to satisfy constraint: Member must not be null"
        );
        // The list itself has no length bounds in the model: empty is valid here.
        ok(
            "ResumeWorkflowRun",
            json!({"Name": "w", "RunId": "wr_1", "NodeIds": []}),
        );
    }

    #[test]
    fn pattern_violation() {
        assert_eq!(
            invalid("GetWorkflow", json!({"Name": "two\nlines"})),
            format!(
                "1 validation error detected: Value 'two\nlines' at 'name' failed to satisfy constraint: \
                 Member must satisfy regular expression pattern: {NAME_PATTERN}"
            )
        );
        assert!(invalid("GetWorkflow", json!({"Name": "bad\u{FFFE}"})).contains("regular expression"));
        assert!(invalid("GetWorkflow", json!({"Name": "bad\u{1F}"})).contains("regular expression"));
        // Tabs, supplementary characters and the edges of the ranges are fine.
        ok(
            "GetWorkflow",
            json!({"Name": "tab\there 😀 \u{D7FF}\u{E000}\u{FFFD}\u{10FFFF}"}),
        );
        // Description allows \r and \n.
        ok(
            "CreateTrigger",
            json!({"Name": "t", "Type": "ON_DEMAND", "Actions": [], "Description": "a\r\nb"}),
        );
    }

    #[test]
    fn anchored_ascii_pattern() {
        // GlueVersionString: ^\w+\.\w+$ style patterns must match the whole value.
        let m = model();
        let shape = m
            .shapes
            .iter()
            .find(|s| s.name.as_ref() == "GlueVersionString")
            .unwrap();
        let p = shape.pattern.as_ref().expect("GlueVersionString has a pattern");
        assert!(p.regex.is_match("4.0"));
        assert!(!p.regex.is_match("4.0 "));
    }

    #[test]
    fn several_violations_in_member_order() {
        assert_eq!(
            invalid("CreateTrigger", json!({})),
            "3 validation errors detected: \
             Value null at 'name' failed to satisfy constraint: Member must not be null; \
             Value null at 'type' failed to satisfy constraint: Member must not be null; \
             Value null at 'actions' failed to satisfy constraint: Member must not be null"
        );
        assert_eq!(
            invalid("GetJobRuns", json!({"JobName": "", "MaxResults": 500})),
            "2 validation errors detected: \
             Value '' at 'jobName' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value '500' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 200"
        );
    }

    #[test]
    fn many_violations_are_counted_but_listed_up_to_the_cap() {
        let names = vec![json!(""); 25];
        let msg = invalid("BatchGetJobs", json!({"JobNames": names}));
        assert!(
            msg.starts_with("25 validation errors detected: Value '' at 'jobNames.1.member'"),
            "{msg}"
        );
        assert_eq!(msg.matches("; ").count(), MAX_LISTED_VIOLATIONS - 1);
        assert!(msg.contains("'jobNames.10.member'") && !msg.contains("'jobNames.11.member'"));
    }

    #[test]
    fn translates_java_regexes() {
        assert_eq!(
            translate_java_regex(r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*"),
            r"\A(?:[\x{20}-\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}\x{D}\x{A}\x{9}]*)\z"
        );
        let compile = |p: &str| Regex::new(&translate_java_regex(p)).unwrap();
        // Lone surrogate bounds are clamped; lone surrogates dropped.
        let re = compile(r"[\u0041-\uDFFF\uD800]+");
        assert!(re.is_match("A\u{D7FF}") && !re.is_match("\u{E000}"));
        let re = compile(r"[\uD800-\uDFFF]");
        assert!(!re.is_match("a") && !re.is_match("\u{10000}"));
        let re = compile(r"[^\uD800]");
        assert!(re.is_match("a"));
        // Java's \w, \s, \d are ASCII; `.` stops at Java's line terminators.
        let re = compile(r"\w+\s\d");
        assert!(re.is_match("a_1\t2") && !re.is_match("é\t2") && !re.is_match("a\u{A0}2"));
        assert!(compile(r"[\s\S]*").is_match("any\nthing é"));
        assert!(!compile(r".*").is_match("a\u{2028}b") && compile(r".*").is_match("aé"));
        // Escaped punctuation, ranges made of punctuation, literal dashes.
        let re = compile(r"^[A-Z\_]+$");
        assert!(re.is_match("A_B") && !re.is_match("a"));
        let re = compile(r"[a-zA-Z0-9+-=._./@]+");
        assert!(re.is_match("a+,=") && !re.is_match("a b"));
        let re = compile(r"[a-zA-Z0-9-_$#.]+");
        assert!(re.is_match("a-_$#.") && !re.is_match("a^"));
        assert!(compile(r"\Q.*\E").is_match(".*") && !compile(r"\Q.*\E").is_match("ab"));
        // Whole-value match even without anchors in the source.
        assert!(!compile("[a-z]+").is_match("abc1"));
        // Unsupported constructs fail to compile instead of changing meaning.
        assert!(Regex::new(&translate_java_regex(r"^(?!aws:).*$")).is_err());
    }

    #[test]
    fn base64_blobs() {
        assert!(is_base64("") && is_base64("aGk=") && is_base64("aGk") && is_base64("aGVsbG8gd29ybGQ="));
        assert!(!is_base64("a") && !is_base64("a=b=") && !is_base64("aGk=="));
    }

    #[test]
    fn parse_rejects_broken_models() {
        assert!(Model::parse("{").is_err());
        let dangling = r#"{"operations":{"Op":{"name":"Op","input":"In"}},"shapes":{}}"#;
        assert!(Model::parse(dangling).unwrap_err().contains("unknown shape In"));
        let bad_required = r#"{"operations":{},"shapes":{"S":{"type":"structure","members":[],"required":["X"]}}}"#;
        assert!(Model::parse(bad_required).is_err());
    }
}
