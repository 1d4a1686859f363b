//! The table of the EventBridge operations glue-local implements: the minimum that routes
//! events to Glue workflows. `events:<Operation>` is authorized on the rule
//! (`arn:aws:events:<region>:<account>:rule/<name>`), or `*` for ListRules and PutEvents.

use super::super::operations::{call, operations, Operation, Resource};
use super::{put_events, rules};
use Resource::{Any, Named};

// tools/extract-model.py --service events reads the names from this table: one row per line, name first.
operations! { EVENTS_OPERATIONS, "events";
    "PutRule" => rules::put, Named("rule", "Name"), Write;
    "DescribeRule" => rules::describe, Named("rule", "Name"), Read;
    "ListRules" => rules::list, Any, Read;
    "DeleteRule" => rules::delete, Named("rule", "Name"), Write;
    "EnableRule" => rules::enable, Named("rule", "Name"), Write;
    "DisableRule" => rules::disable, Named("rule", "Name"), Write;
    "PutTargets" => rules::put_targets, Named("rule", "Rule"), Write;
    "RemoveTargets" => rules::remove_targets, Named("rule", "Rule"), Write;
    "ListTargetsByRule" => rules::list_targets, Named("rule", "Rule"), Read;
    "PutEvents" => put_events::put, Any, Write;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_and_the_model_name_the_same_operations() {
        let model: Vec<&str> = super::super::model().operation_names().collect();
        let mut table: Vec<&str> = EVENTS_OPERATIONS.iter().map(|op| op.name).collect();
        table.sort_unstable();
        assert_eq!(
            table, model,
            "model/events.json is stale: run tools/extract-model.py --service events"
        );
        let reads: Vec<&str> = EVENTS_OPERATIONS
            .iter()
            .filter(|o| o.reads_only)
            .map(|o| o.name)
            .collect();
        assert_eq!(reads, ["DescribeRule", "ListRules", "ListTargetsByRule"]);
    }

    #[test]
    fn rules_are_authorized_on_their_arn() {
        let op = EVENTS_OPERATIONS.iter().find(|o| o.name == "PutTargets").unwrap();
        assert_eq!(op.action, "events:PutTargets");
        assert_eq!(
            op.target(&serde_json::json!({"Rule": "R"}), "us-east-1", "123456789012"),
            crate::auth::authorize::Target::One("arn:aws:events:us-east-1:123456789012:rule/R".into())
        );
    }
}
