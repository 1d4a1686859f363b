//! The minimum of Amazon EventBridge (`X-Amz-Target: AWSEvents.<Operation>`, SigV4 service
//! `events`) that a stack's setup code needs to start Glue workflows from events: rules
//! with event patterns on the default event bus, targets naming workflows, and PutEvents.

mod operations;
mod put_events;
mod rules;

pub use operations::EVENTS_OPERATIONS;

use crate::engine::Error;
use crate::protocol::WireError;

/// The EventBridge model (input and output shapes, extracted from botocore by
/// `tools/extract-model.py --service events`).
pub fn model() -> &'static crate::protocol::model::Model {
    static MODEL: std::sync::OnceLock<crate::protocol::model::Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| super::load_model("model/events.json", include_str!("../../../model/events.json")))
}

/// Engine errors in EventBridge's codes.
fn error(e: Error) -> WireError {
    let code = match &e {
        Error::NotFound(_) => "ResourceNotFoundException",
        Error::ResourceNumberLimitExceeded(_) => "LimitExceededException",
        Error::Internal(m) => return WireError::internal(m.clone()),
        _ => "ValidationException",
    };
    WireError::new(code, e.to_string())
}

/// Only the default event bus exists: its name, its ARN, or none.
fn check_bus(bus: Option<&str>, account: &str, region: &str) -> Result<(), WireError> {
    match bus {
        None | Some("default") => Ok(()),
        Some(arn) if arn == format!("arn:aws:events:{region}:{account}:event-bus/default") => Ok(()),
        Some(other) => Err(WireError::new(
            "ResourceNotFoundException",
            format!("Event bus {other} does not exist."),
        )),
    }
}
