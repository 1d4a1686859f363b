use super::*;
use serde_json::json;
use std::sync::OnceLock;

/// One operation whose output has a member of each kind of shape.
const MODEL: &str = r#"{
"operations": {
 "Describe": {"name": "Describe", "input": "In", "output": "Out"},
 "Delete": {"name": "Delete", "input": "In"}
},
"shapes": {
 "In": {"type": "structure", "members": []},
 "Out": {"type": "structure", "required": ["Name"], "members": [
   ["Name", "Text"], ["State", "State"], ["Count", "Int"], ["Size", "Long"], ["Ratio", "Ratio"],
   ["On", "Flag"], ["At", "Epoch"], ["When", "Iso"], ["Data", "Bytes"], ["Items", "Items"],
   ["ByState", "ByState"], ["Doc", "Doc"]]},
 "Text": {"type": "string"},
 "State": {"type": "string", "enum": ["READY", "RUNNING"]},
 "Int": {"type": "integer"},
 "Long": {"type": "long"},
 "Ratio": {"type": "double"},
 "Flag": {"type": "boolean"},
 "Epoch": {"type": "timestamp"},
 "Iso": {"type": "timestamp", "timestampFormat": "iso8601"},
 "Bytes": {"type": "blob"},
 "Items": {"type": "list", "member": "Item"},
 "Item": {"type": "structure", "required": ["Id"], "members": [["Id", "Text"]]},
 "ByState": {"type": "map", "key": "State", "value": "Text"},
 "Doc": {"type": "document"}
}
}"#;

fn model() -> &'static Model {
    static PARSED: OnceLock<Model> = OnceLock::new();
    PARSED.get_or_init(|| Model::parse(MODEL).unwrap())
}

fn good() -> Value {
    json!({
        "Name": "n", "State": "READY", "Count": -3, "Size": 1_u64 << 40, "Ratio": 0.5,
        "On": true, "At": 1_700_000_000.25, "When": "2024-01-02T03:04:05Z", "Data": "aGk=",
        "Items": [{"Id": "a"}], "ByState": {"RUNNING": "x"}, "Doc": [1, {"any": null}]
    })
}

/// The problems of `good()` with `member` set to `value`.
fn problems_with(member: &str, value: Value) -> Vec<String> {
    let mut body = good();
    body[member] = value;
    model().validate_output("Describe", &body).unwrap_err()
}

fn one_problem(member: &str, value: Value) -> String {
    let problems = problems_with(member, value);
    assert_eq!(problems.len(), 1, "{problems:?}");
    problems.into_iter().next().unwrap()
}

#[test]
fn a_value_of_each_kind_passes() {
    assert_eq!(model().validate_output("Describe", &good()), Ok(()));
    assert_eq!(model().validate_output("Describe", &json!({"Name": ""})), Ok(()));
}

#[test]
fn a_missing_required_member_is_reported() {
    let mut body = good();
    body.as_object_mut().unwrap().remove("Name");
    assert_eq!(
        model().validate_output("Describe", &body),
        Err(vec!["$.Name: required member of Out is missing".to_string()])
    );
    assert_eq!(
        one_problem("Items", json!([{"Id": "a"}, {}])),
        "$.Items[1].Id: required member of Item is missing"
    );
}

#[test]
fn members_the_model_does_not_define_are_reported() {
    assert_eq!(one_problem("Extra", json!(1)), "$.Extra: not a member of Out");
    assert_eq!(
        one_problem("Items", json!([{"Id": "a", "id": "b"}])),
        "$.Items[0].id: not a member of Item"
    );
}

#[test]
fn null_is_reported_not_taken_as_absent() {
    assert_eq!(
        one_problem("State", Value::Null),
        "$.State: null for State (omit the member instead)"
    );
    assert_eq!(
        one_problem("Items", json!([null])),
        "$.Items[0]: null for Item (omit the member instead)"
    );
}

#[test]
fn each_shape_type_wants_its_json_type() {
    let cases = [
        (
            "Name",
            json!(1),
            "$.Name: expected a string for Text, found the number 1",
        ),
        (
            "Count",
            json!("1"),
            "$.Count: expected a 32-bit integer for Int, found a string",
        ),
        (
            "Count",
            json!(1.5),
            "$.Count: expected a 32-bit integer for Int, found the number 1.5",
        ),
        (
            "Count",
            json!(1_u64 << 31),
            "$.Count: expected a 32-bit integer for Int, found the number 2147483648",
        ),
        (
            "Size",
            json!(u64::MAX),
            "$.Size: expected a 64-bit integer for Long, found the number 18446744073709551615",
        ),
        (
            "Ratio",
            json!("0.5"),
            "$.Ratio: expected a number for Ratio, found a string",
        ),
        ("On", json!("true"), "$.On: expected a boolean for Flag, found a string"),
        (
            "Items",
            json!({}),
            "$.Items: expected an array for Items, found an object",
        ),
        (
            "Items",
            json!(["a"]),
            "$.Items[0]: expected an object for Item, found a string",
        ),
        (
            "ByState",
            json!([]),
            "$.ByState: expected an object for ByState, found an array",
        ),
        (
            "ByState",
            json!({"READY": 2}),
            "$.ByState[\"READY\"]: expected a string for Text, found the number 2",
        ),
        (
            "Data",
            json!("not base64!"),
            "$.Data: expected a base64 string for Bytes, found a string",
        ),
        (
            "Data",
            json!([104, 105]),
            "$.Data: expected a base64 string for Bytes, found an array",
        ),
    ];
    for (member, value, expected) in cases {
        assert_eq!(one_problem(member, value), expected);
    }
}

#[test]
fn enum_values_are_checked_in_values_and_map_keys() {
    assert_eq!(
        one_problem("State", json!("ready")),
        "$.State: \"ready\" is not a value of State [READY, RUNNING]"
    );
    assert_eq!(
        one_problem("ByState", json!({"STOPPED": "x"})),
        "$.ByState[\"STOPPED\"] (key): \"STOPPED\" is not a value of State [READY, RUNNING]"
    );
}

#[test]
fn timestamps_are_epoch_seconds_unless_the_shape_says_otherwise() {
    assert_eq!(
        one_problem("At", json!("2024-01-02T03:04:05Z")),
        "$.At: expected epoch seconds as a number for Epoch, found a string"
    );
    assert_eq!(
        one_problem("At", json!(1_700_000_000_000_u64)),
        "$.At: 1700000000000 is not a plausible timestamp in epoch seconds (Epoch)"
    );
    assert_eq!(
        one_problem("When", json!(1_700_000_000)),
        "$.When: expected a timestamp string for Iso, found the number 1700000000"
    );
}

#[test]
fn a_document_takes_any_value() {
    assert_eq!(
        model().validate_output("Describe", &json!({"Name": "n", "Doc": "x"})),
        Ok(())
    );
}

#[test]
fn every_problem_is_listed() {
    let body = json!({"State": 1, "Extra": true});
    assert_eq!(
        model().validate_output("Describe", &body),
        Err(vec![
            "$.Extra: not a member of Out".to_string(),
            "$.Name: required member of Out is missing".to_string(),
            "$.State: expected a string for State, found the number 1".to_string(),
        ])
    );
}

#[test]
fn an_operation_without_output_answers_an_empty_object() {
    assert_eq!(model().validate_output("Delete", &json!({})), Ok(()));
    assert_eq!(
        model().validate_output("Delete", &json!({"Name": "n"})),
        Err(vec![
            "$: Delete has no output shape, so its answer must be {}".to_string()
        ])
    );
    assert_eq!(
        model().validate_output("Undefined", &json!({})),
        Err(vec!["Undefined is not an operation of the model".to_string()])
    );
}

#[test]
fn the_glue_model_has_output_shapes() {
    let glue = Model::parse(include_str!("../../../model/glue.json")).unwrap();
    let run = |started: Value| {
        let run = json!({"Name": "W", "WorkflowRunId": "wr_1", "StartedOn": started, "Status": "RUNNING"});
        json!({ "Run": run })
    };
    assert_eq!(
        glue.validate_output("GetWorkflowRun", &run(json!(1_700_000_000))),
        Ok(())
    );
    assert_eq!(
        glue.validate_output("GetWorkflowRun", &run(json!(1_700_000_000_000_u64))),
        Err(vec![
            "$.Run.StartedOn: 1700000000000 is not a plausible timestamp in epoch seconds (TimestampValue)".to_string()
        ])
    );
}
