//! One event through a partition's rules to the Glue workflows they target, each
//! delivery authorized by the caller's `may` (the target's role and the workflow's ARN),
//! and the S3 events that files created under `--s3-dir` stand for.

use crate::engine::event_ops::Delivery;
use crate::engine::region::Region;
use serde_json::{json, Value};
use std::sync::Arc;

/// An event as PutEvents takes it (without the envelope EventBridge adds).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: String,
    pub source: String,
    pub detail_type: String,
    pub detail: Value,
    pub resources: Vec<String>,
    /// RFC 3339, UTC.
    pub time: String,
}

impl Event {
    pub fn new(source: &str, detail_type: &str, detail: Value, resources: Vec<String>) -> Event {
        Event {
            id: uuid::Uuid::new_v4().to_string(),
            source: source.to_string(),
            detail_type: detail_type.to_string(),
            detail,
            resources,
            time: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        }
    }

    /// The event as rules match it and targets receive it, in this account and region.
    pub fn envelope(&self, account: &str, region: &str) -> Value {
        json!({
            "version": "0",
            "id": self.id,
            "detail-type": self.detail_type,
            "source": self.source,
            "account": account,
            "time": self.time,
            "region": region,
            "resources": self.resources,
            "detail": self.detail,
        })
    }
}

/// The two events S3 sends when an object is created: EventBridge's own notification
/// ("Object Created", `detail.bucket.name`, `detail.object.key`) and CloudTrail's data
/// event for PutObject (`detail.requestParameters.bucketName`/`key`), which the Glue guide's
/// rule matches.
pub fn s3_object_created(bucket: &str, key: &str, size: u64) -> [Event; 2] {
    let resources = vec![format!("arn:aws:s3:::{bucket}")];
    let notification = json!({
        "version": "0",
        "bucket": {"name": bucket},
        "object": {"key": key, "size": size},
        "reason": "PutObject",
    });
    let cloudtrail = json!({
        "eventSource": "s3.amazonaws.com",
        "eventName": "PutObject",
        "requestParameters": {"bucketName": bucket, "key": key},
        "resources": [{"type": "AWS::S3::Object", "ARN": format!("arn:aws:s3:::{bucket}/{key}")}],
    });
    [
        Event::new("aws.s3", "Object Created", notification, resources.clone()),
        Event::new("aws.s3", "AWS API Call via CloudTrail", cloudtrail, resources),
    ]
}

/// What one matching target did with the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetOutcome {
    pub target_arn: String,
    pub result: Result<Delivery, String>,
}

/// Who may deliver: `(role ARN of the target, workflow ARN)` → allowed or why not.
pub type MayNotify<'a> = &'a dyn Fn(Option<&str>, &str) -> Result<(), String>;

impl Region {
    /// Routes `event` through the enabled rules of this partition and delivers it to each
    /// workflow target of this account and region that `may` allows.
    pub fn deliver_event(self: &Arc<Self>, event: &Event, may: MayNotify<'_>) -> Vec<TargetOutcome> {
        let envelope = event.envelope(&self.account, &self.name);
        let prefix = format!("arn:aws:glue:{}:{}:workflow/", self.name, self.account);
        self.matching_targets(&envelope)
            .into_iter()
            .map(|target| {
                let result = match target.arn.strip_prefix(&prefix) {
                    None => Err(format!(
                        "target {} is not a Glue workflow of account {} in {}: glue-local delivers only to those",
                        target.arn, self.account, self.name
                    )),
                    Some(workflow) => may(target.role_arn.as_deref(), &target.arn)
                        .and_then(|()| self.notify_event(workflow, &event.id).map_err(|e| e.to_string())),
                };
                TargetOutcome {
                    target_arn: target.arn,
                    result,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::events::rules::{RuleSpec, RuleTarget};
    use crate::engine::job::JobSpec;
    use crate::engine::trigger::TriggerType;
    use crate::engine::TriggerSpec;

    #[tokio::test]
    async fn a_matching_rule_delivers_to_its_workflow_targets() {
        let region = Arc::new(Region::new("1", "r", Default::default(), None));
        region.create_job("J", JobSpec::default(), Default::default()).unwrap();
        region
            .create_workflow("W", Default::default(), Default::default())
            .unwrap();
        let trigger = TriggerSpec {
            event_batching: Some((2, None)),
            ..TriggerSpec::starting("W", TriggerType::Event, "J")
        };
        region.create_trigger("T", trigger, Default::default()).unwrap();
        let pattern =
            r#"{"source":["aws.s3"],"detail":{"bucket":{"name":["in"]},"object":{"key":[{"prefix":"raw/"}]}}}"#;
        let spec = |enabled| RuleSpec {
            event_pattern: pattern.into(),
            enabled,
            description: None,
        };
        region.put_rule("R", spec(true)).unwrap();
        let target = |id: &str, arn: &str| RuleTarget {
            id: id.into(),
            arn: arn.into(),
            role_arn: Some("role".into()),
        };
        region
            .put_targets(
                "R",
                vec![
                    target("w", "arn:aws:glue:r:1:workflow/W"),
                    target("q", "arn:aws:sqs:r:1:q"),
                ],
            )
            .unwrap();
        let anyone: MayNotify = &|_, _| Ok(());
        let [created, cloudtrail] = s3_object_created("in", "raw/a.csv", 1);
        let outcomes = region.deliver_event(&created, anyone);
        assert_eq!(outcomes.len(), 2);
        assert_eq!(
            outcomes[0].result,
            Ok(Delivery::Batched {
                trigger: "T".into(),
                pending: 1
            })
        );
        assert!(outcomes[1].result.as_ref().unwrap_err().contains("not a Glue workflow"));
        assert!(
            region.deliver_event(&cloudtrail, anyone).is_empty(),
            "no detail.bucket.name"
        );
        let [other, _] = s3_object_created("in", "tmp/a.csv", 1);
        assert!(region.deliver_event(&other, anyone).is_empty());

        let nobody: MayNotify = &|role, arn| Err(format!("{role:?} may not notify {arn}"));
        assert_eq!(
            region.deliver_event(&created, nobody)[0].result,
            Err("Some(\"role\") may not notify arn:aws:glue:r:1:workflow/W".into())
        );
        region.put_rule("R", spec(false)).unwrap();
        assert!(
            region.deliver_event(&created, anyone).is_empty(),
            "a disabled rule matches nothing"
        );
        assert_eq!(region.pending_events("T"), 1);
        assert!(region.delete_rule("R").is_err(), "it has targets");
        region.remove_targets("R", &["w".into(), "q".into()]).unwrap();
        region.delete_rule("R").unwrap();
        assert!(region.rule("R").is_err());
    }
}
