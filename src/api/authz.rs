//! Which resource each operation acts on, for IAM: `glue:<Operation>` on an ARN
//! from the request, on each named resource for BatchGet* calls, or on `*` for
//! list calls.

use serde_json::Value;

/// The resource ARN an operation is authorized on.
pub fn resource(op: &str, body: &Value, region: &str, account: &str) -> String {
    let member = |m: &str| body.get(m).and_then(Value::as_str).unwrap_or("");
    let arn = |kind: &str, name: &str| format!("arn:aws:glue:{region}:{account}:{kind}/{name}");
    match op {
        "CreateWorkflow"
        | "GetWorkflow"
        | "UpdateWorkflow"
        | "DeleteWorkflow"
        | "StartWorkflowRun"
        | "StopWorkflowRun"
        | "GetWorkflowRun"
        | "GetWorkflowRuns"
        | "ResumeWorkflowRun"
        | "GetWorkflowRunProperties"
        | "PutWorkflowRunProperties" => arn("workflow", member("Name")),
        "CreateJob" => arn("job", member("Name")),
        "GetJob" | "UpdateJob" | "DeleteJob" | "StartJobRun" | "GetJobRun" | "GetJobRuns" | "BatchStopJobRun" => {
            arn("job", member("JobName"))
        }
        "CreateTrigger" | "GetTrigger" | "UpdateTrigger" | "DeleteTrigger" | "StartTrigger" | "StopTrigger" => {
            arn("trigger", member("Name"))
        }
        "CreateCrawler" | "GetCrawler" | "UpdateCrawler" | "DeleteCrawler" | "StartCrawler" | "StopCrawler" => {
            arn("crawler", member("Name"))
        }
        "ListCrawls" => arn("crawler", member("CrawlerName")),
        "TagResource" | "UntagResource" | "GetTags" => member("ResourceArn").to_string(),
        _ => "*".to_string(),
    }
}

/// For the BatchGet* calls, authorized per named resource: each name with its ARN.
pub fn batch_resources(op: &str, body: &Value, region: &str, account: &str) -> Option<Vec<(String, String)>> {
    let (kind, member) = match op {
        "BatchGetWorkflows" => ("workflow", "Names"),
        "BatchGetJobs" => ("job", "JobNames"),
        "BatchGetTriggers" => ("trigger", "TriggerNames"),
        "BatchGetCrawlers" => ("crawler", "CrawlerNames"),
        _ => return None,
    };
    let names = body
        .get(member)
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    Some(
        names
            .iter()
            .filter_map(Value::as_str)
            .map(|name| {
                (
                    name.to_string(),
                    format!("arn:aws:glue:{region}:{account}:{kind}/{name}"),
                )
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resources() {
        let r = |op, body| resource(op, &body, "us-east-1", "123456789012");
        assert_eq!(
            r("ResumeWorkflowRun", json!({"Name": "W1"})),
            "arn:aws:glue:us-east-1:123456789012:workflow/W1"
        );
        assert_eq!(
            r("GetJobRuns", json!({"JobName": "J"})),
            "arn:aws:glue:us-east-1:123456789012:job/J"
        );
        assert_eq!(
            r("ListCrawls", json!({"CrawlerName": "C"})),
            "arn:aws:glue:us-east-1:123456789012:crawler/C"
        );
        assert_eq!(r("ListWorkflows", json!({})), "*");
        assert_eq!(r("BatchGetJobs", json!({"JobNames": ["J"]})), "*");
        let named = |op, body| batch_resources(op, &body, "us-east-1", "123456789012");
        assert_eq!(
            named("BatchGetCrawlers", json!({"CrawlerNames": ["C1", "C2"]})),
            Some(vec![
                (
                    "C1".to_string(),
                    "arn:aws:glue:us-east-1:123456789012:crawler/C1".to_string()
                ),
                (
                    "C2".to_string(),
                    "arn:aws:glue:us-east-1:123456789012:crawler/C2".to_string()
                ),
            ])
        );
        assert_eq!(
            named("BatchGetWorkflows", json!({"Names": ["W"]})).unwrap()[0].1,
            "arn:aws:glue:us-east-1:123456789012:workflow/W"
        );
        assert_eq!(named("BatchGetTriggers", json!({})), Some(vec![]));
        assert_eq!(named("GetWorkflow", json!({"Name": "W"})), None);
        assert_eq!(r("GetTags", json!({"ResourceArn": "arn:x"})), "arn:x");
        for op in crate::api::OPERATIONS {
            let _ = r(op, json!({}));
        }
    }
}
