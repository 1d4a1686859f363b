//! EventBridge event patterns, the part glue-local matches: a JSON object whose fields
//! are nested objects or arrays of matchers — a literal (string, number, boolean, null)
//! or `{"prefix": …}`, `{"suffix": …}`, `{"anything-but": value or [values]}`,
//! `{"exists": bool}`. A field matches when any matcher matches the event's value (or
//! any element of an array value); every field of the pattern must match.

use serde_json::{Map, Value};

/// Checks a pattern's form; the message is for `InvalidEventPatternException`.
pub fn validate(pattern: &Value) -> Result<(), String> {
    let Value::Object(fields) = pattern else {
        return Err("Event pattern is not valid. Reason: the pattern must be a JSON object".into());
    };
    if fields.is_empty() {
        return Err("Event pattern is not valid. Reason: the pattern is empty".into());
    }
    validate_fields(fields)
}

fn validate_fields(fields: &Map<String, Value>) -> Result<(), String> {
    for (name, value) in fields {
        match value {
            Value::Object(inner) if !inner.is_empty() => validate_fields(inner)?,
            Value::Array(matchers) if !matchers.is_empty() => {
                for m in matchers {
                    validate_matcher(name, m)?;
                }
            }
            _ => {
                return Err(format!(
                    "Event pattern is not valid. Reason: \"{name}\" must be an object or an array of values"
                ))
            }
        }
    }
    Ok(())
}

fn validate_matcher(field: &str, m: &Value) -> Result<(), String> {
    let Value::Object(op) = m else {
        return match m {
            Value::Array(_) => Err(format!(
                "Event pattern is not valid. Reason: \"{field}\" has an array inside its array"
            )),
            _ => Ok(()),
        };
    };
    let bad = || {
        Err(format!(
            "Event pattern is not valid. Reason: \"{field}\": glue-local matches prefix, suffix, anything-but and exists, not {}",
            Value::Object(op.clone())
        ))
    };
    match op.iter().next() {
        Some((k, Value::String(_))) if op.len() == 1 && (k == "prefix" || k == "suffix") => Ok(()),
        Some((k, Value::Bool(_))) if op.len() == 1 && k == "exists" => Ok(()),
        Some((k, v)) if op.len() == 1 && k == "anything-but" && !v.is_object() => Ok(()),
        _ => bad(),
    }
}

/// Whether `event` matches a (valid) `pattern`.
pub fn matches(pattern: &Value, event: &Value) -> bool {
    match pattern {
        Value::Object(fields) => fields_match(fields, event),
        _ => false,
    }
}

fn fields_match(fields: &Map<String, Value>, event: &Value) -> bool {
    fields.iter().all(|(name, p)| {
        let value = event.get(name);
        match p {
            Value::Object(inner) => value.is_some_and(|v| fields_match(inner, v)),
            Value::Array(matchers) => matchers.iter().any(|m| matcher_holds(m, value)),
            _ => false,
        }
    })
}

fn matcher_holds(m: &Value, value: Option<&Value>) -> bool {
    if let Some(Value::Bool(wanted)) = m.get("exists") {
        return value.is_some() == *wanted;
    }
    let Some(value) = value else {
        return false;
    };
    match value {
        Value::Array(items) => items.iter().any(|item| one_holds(m, item)),
        item => one_holds(m, item),
    }
}

fn one_holds(m: &Value, value: &Value) -> bool {
    let Value::Object(op) = m else {
        return m == value;
    };
    let text = value.as_str();
    if let Some(Value::String(p)) = op.get("prefix") {
        return text.is_some_and(|t| t.starts_with(p.as_str()));
    }
    if let Some(Value::String(s)) = op.get("suffix") {
        return text.is_some_and(|t| t.ends_with(s.as_str()));
    }
    match op.get("anything-but") {
        Some(Value::Array(excluded)) => !excluded.contains(value),
        Some(excluded) => excluded != value,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn s3_event(bucket: &str, key: &str) -> Value {
        json!({"source": "aws.s3", "detail-type": "Object Created",
               "detail": {"bucket": {"name": bucket}, "object": {"key": key, "size": 3}},
               "resources": [format!("arn:aws:s3:::{bucket}")]})
    }

    #[test]
    fn source_detail_type_bucket_and_key_prefix() {
        let p = json!({"source": ["aws.s3"], "detail-type": ["Object Created"],
                       "detail": {"bucket": {"name": ["in"]}, "object": {"key": [{"prefix": "raw/"}]}}});
        assert!(validate(&p).is_ok());
        assert!(matches(&p, &s3_event("in", "raw/a.csv")));
        assert!(!matches(&p, &s3_event("in", "tmp/a.csv")));
        assert!(!matches(&p, &s3_event("out", "raw/a.csv")));
        assert!(
            !matches(&p, &json!({"source": "aws.s3"})),
            "a field the event lacks does not match"
        );
    }

    #[test]
    fn any_value_of_an_array_and_operators() {
        let p = json!({"source": ["a", "aws.s3"], "resources": ["arn:aws:s3:::in"]});
        assert!(
            matches(&p, &s3_event("in", "k")),
            "an array value matches by any element"
        );
        let p = json!({"detail": {"object": {"key": [{"suffix": ".csv"}]}, "bucket": {"name": [{"anything-but": ["x", "y"]}]}}});
        assert!(matches(&p, &s3_event("in", "a.csv")));
        assert!(!matches(&p, &s3_event("x", "a.csv")));
        assert!(!matches(&p, &s3_event("in", "a.json")));
        let p = json!({"detail": {"object": {"etag": [{"exists": false}], "size": [3]}}});
        assert!(matches(&p, &s3_event("in", "k")), "numbers match as numbers");
        let p = json!({"detail": {"object": {"etag": [{"exists": true}]}}});
        assert!(!matches(&p, &s3_event("in", "k")));
    }

    #[test]
    fn malformed_patterns_are_refused() {
        for p in [
            json!([]),
            json!({}),
            json!({"source": "aws.s3"}),
            json!({"source": []}),
            json!({"source": [["a"]]}),
            json!({"source": [{"numeric": [">", 1]}]}),
            json!({"source": [{"prefix": 1}]}),
        ] {
            assert!(validate(&p).is_err(), "{p}");
        }
    }
}
