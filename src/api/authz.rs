//! Which resource each operation acts on, for IAM: `glue:<Operation>` on an ARN
//! from the request, or on `*` for list and batch calls.

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
        assert_eq!(r("GetTags", json!({"ResourceArn": "arn:x"})), "arn:x");
        for op in crate::api::OPERATIONS {
            let _ = r(op, json!({}));
        }
    }
}
