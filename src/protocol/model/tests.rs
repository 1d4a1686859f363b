use super::message::is_base64;
use super::*;
use serde_json::json;
use std::sync::OnceLock;

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model::parse(include_str!("../../../model/glue.json")).unwrap())
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
    assert!(m.has_operation("ResumeWorkflowRun"));
    assert!(!m.has_operation("CreatePartitionIndex"));
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
    let text = include_str!("../../../model/glue.json");
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
