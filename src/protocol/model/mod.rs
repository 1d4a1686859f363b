//! Model-driven validation of AWS JSON 1.1 requests (and, for the unit tests,
//! of our responses: [`Model::validate_output`], see `output.rs`).
//!
//! The model is the subset of botocore's service model that
//! `tools/extract-model.py` writes to `model/glue.json`: operations (input,
//! output and error shape names) and every shape reachable from the input and
//! output shapes, reduced to what validation needs (`type`, `members` as
//! `[name, target]` pairs in model order, `required`, `min`, `max`, `enum`,
//! `pattern`, `timestampFormat`, list `member`, map `key`/`value`). Nothing
//! here knows about Glue: everything comes from the data.
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

mod java_regex;
mod message;
#[cfg(test)]
mod output;
#[cfg(test)]
mod output_tests;
#[cfg(test)]
mod tests;
mod walker;

pub use java_regex::translate_java_regex;
use serde::Deserialize;
use serde_json::{Number, Value};
use walker::json_type;

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

/// One operation of the model. Requests need only its input shape; what else the
/// model says of it is kept for the tests that check the model and our answers.
#[derive(Debug, Clone)]
pub struct Operation {
    input: Option<ShapeId>,
    #[cfg(test)]
    name: Box<str>,
    #[cfg(test)]
    input_name: Option<Box<str>>,
    #[cfg(test)]
    output_name: Option<Box<str>>,
    #[cfg(test)]
    output: Option<ShapeId>,
    #[cfg(test)]
    errors: Box<[Box<str>]>,
}

#[cfg(test)]
impl Operation {
    /// The input shape's name, e.g. `CreateWorkflowRequest`.
    pub fn input_shape(&self) -> Option<&str> {
        self.input_name.as_deref()
    }
    /// The output shape's name, e.g. `CreateWorkflowResponse`.
    pub fn output_shape(&self) -> Option<&str> {
        self.output_name.as_deref()
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
    #[cfg(test)]
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
    // Requests may give either; only answers are held to the format (in the tests).
    Timestamp(#[cfg_attr(not(test), expect(dead_code, reason = "read by the output check"))] TimestampFormat),
    Blob,
    /// `document` and unknown types: any JSON value.
    Any,
}

/// How a timestamp is written: AWS JSON 1.1's default is epoch seconds as a
/// number; a shape's `timestampFormat` (`iso8601`, `rfc822`) makes it a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimestampFormat {
    EpochSeconds,
    Text,
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
    #[cfg(test)]
    output: Option<String>,
    #[cfg(test)]
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
    #[serde(rename = "timestampFormat")]
    timestamp_format: Option<String>,
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
        #[cfg(test)]
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
                "timestamp" => Kind::Timestamp(match rs.timestamp_format.as_deref() {
                    None | Some("unixTimestamp") => TimestampFormat::EpochSeconds,
                    Some(_) => TimestampFormat::Text,
                }),
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
                            #[cfg(test)]
                            {
                                pattern_count += 1;
                            }
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
            #[cfg(test)]
            let output = match &ro.output {
                None => None,
                Some(_) => Some(resolve(name, &ro.output, "output")?),
            };
            if by_name.insert(name.into(), operations.len()).is_some() {
                return Err(format!("duplicate operation {name}"));
            }
            operations.push(Operation {
                input,
                #[cfg(test)]
                name: name.into(),
                #[cfg(test)]
                input_name: ro.input.as_deref().map(Into::into),
                #[cfg(test)]
                output_name: ro.output.as_deref().map(Into::into),
                #[cfg(test)]
                output,
                #[cfg(test)]
                errors: ro.errors.iter().map(|e| e.as_str().into()).collect(),
            });
        }

        Ok(Model {
            operations,
            by_name,
            shapes,
            #[cfg(test)]
            pattern_count,
            skipped,
        })
    }

    pub fn has_operation(&self, op: &str) -> bool {
        self.by_name.contains_key(op)
    }

    /// Operation names in alphabetical order.
    #[cfg(test)]
    pub fn operation_names(&self) -> impl Iterator<Item = &str> {
        self.operations.iter().map(|o| &*o.name)
    }

    pub fn operation(&self, op: &str) -> Option<&Operation> {
        self.by_name.get(op).map(|&i| &self.operations[i])
    }

    /// Number of shapes whose pattern compiled and is checked.
    #[cfg(test)]
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
        walker::validate(self, input, body)
    }

    /// Checks a response body against the operation's output shape, as a
    /// client parsing it would: every problem found, each as `path: problem`.
    /// An operation without an output shape must answer `{}`.
    #[cfg(test)]
    pub fn validate_output(&self, op: &str, body: &Value) -> Result<(), Vec<String>> {
        let Some(operation) = self.operation(op) else {
            return Err(vec![format!("{op} is not an operation of the model")]);
        };
        let problems = match operation.output {
            Some(output) => output::validate(self, output, body),
            None if *body == Value::Object(Default::default()) => Vec::new(),
            None => vec![format!("$: {op} has no output shape, so its answer must be {{}}")],
        };
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
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
