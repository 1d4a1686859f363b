//! Glue's built-in JSON classifier: a file of JSON objects (JSON lines, or objects one after the
//! other) becomes one column per top-level key, typed as Glue types JSON: `int` (`bigint` past 32
//! bits), `double`, `boolean`, `string`, `array<…>`, `struct<…>`; keys in order of appearance,
//! lower case.

use super::sample::Sample;
use super::types::{merge_fields, GlueType};
use super::{Format, Sampled};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The file as JSON, or `None` if it does not start with a JSON object or is not JSON throughout
/// (a record cut off at the end of a partial read does not count).
pub fn classify(sample: &Sample) -> Option<Sampled> {
    let mut fields = Vec::new();
    let mut records = 0usize;
    for value in serde_json::Deserializer::from_str(&sample.text).into_iter::<Inferred>() {
        match value {
            Ok(Inferred(GlueType::Struct(f))) => {
                fields = merge_fields(fields, f);
                records += 1;
            }
            Err(e) if e.is_eof() && !sample.is_whole() && records > 0 => break,
            _ => return None,
        }
    }
    (records > 0).then(|| Sampled {
        format: Format::Json,
        columns: fields,
        records: sample.records(records),
    })
}

/// The type of one JSON value, read straight from the text (keys keep their order).
struct Inferred(GlueType);

impl<'de> Deserialize<'de> for Inferred {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TypeVisitor).map(Inferred)
    }
}

struct TypeVisitor;

impl<'de> Visitor<'de> for TypeVisitor {
    type Value = GlueType;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<GlueType, E> {
        Ok(GlueType::Boolean)
    }
    fn visit_i64<E>(self, v: i64) -> Result<GlueType, E> {
        Ok(if i32::try_from(v).is_ok() {
            GlueType::Int
        } else {
            GlueType::BigInt
        })
    }
    fn visit_u64<E>(self, v: u64) -> Result<GlueType, E> {
        Ok(match i64::try_from(v) {
            Ok(v) if i32::try_from(v).is_ok() => GlueType::Int,
            Ok(_) => GlueType::BigInt,
            Err(_) => GlueType::Double,
        })
    }
    fn visit_f64<E>(self, _: f64) -> Result<GlueType, E> {
        Ok(GlueType::Double)
    }
    fn visit_str<E>(self, _: &str) -> Result<GlueType, E> {
        Ok(GlueType::String)
    }
    fn visit_unit<E>(self) -> Result<GlueType, E> {
        Ok(GlueType::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<GlueType, A::Error> {
        let mut element = GlueType::Null;
        while let Some(Inferred(t)) = seq.next_element()? {
            element = element.merge(t);
        }
        Ok(GlueType::Array(Box::new(element)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<GlueType, A::Error> {
        let mut fields = Vec::new();
        while let Some((key, Inferred(t))) = map.next_entry::<String, Inferred>()? {
            fields = merge_fields(fields, vec![(key.to_lowercase(), t)]);
        }
        Ok(GlueType::Struct(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Option<Vec<String>> {
        classify(&Sample::whole(text.to_string())).map(|s| s.columns.iter().map(|(n, t)| format!("{n}:{t}")).collect())
    }

    #[test]
    fn json_lines_become_columns_typed_as_glue_types_json() {
        let cols = json(concat!(
            "{\"id\": 1, \"Name\": \"a\", \"price\": 2.5, \"ok\": true, \"tags\": [\"x\"], \"addr\": {\"city\": \"c\", \"zip\": 1}}\n",
            "{\"id\": 3000000000, \"Name\": null, \"price\": 3, \"ok\": false, \"tags\": [], \"addr\": {\"zip\": 2.5}, \"extra\": null}\n",
        ))
        .unwrap();
        assert_eq!(
            cols,
            [
                "id:bigint",
                "name:string",
                "price:double",
                "ok:boolean",
                "tags:array<string>",
                "addr:struct<city:string,zip:double>",
                "extra:string"
            ]
        );
    }

    #[test]
    fn pretty_printed_objects_count_as_records() {
        let s = classify(&Sample::whole("{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n".into())).unwrap();
        assert_eq!(s.records, 2);
        assert_eq!(s.columns, [("a".to_string(), GlueType::Int)]);
    }

    #[test]
    fn not_json() {
        assert!(json("a,b\n1,2\n").is_none());
        assert!(json("[1, 2]").is_none());
        assert!(json("{\"a\": 1}\n{\"a\": ").is_none(), "cut off in a whole file");
        assert!(json("{\"a\": 1}\nnot json\n").is_none());
    }
}
