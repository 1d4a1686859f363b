//! The minimum of EventBridge that routes events to Glue workflows: rules with event
//! patterns and targets ([`rules`], matched by [`pattern`]), and the delivery of an event
//! to the workflows its rules name ([`deliver`]), where each workflow's EVENT trigger
//! batches it (`super::event_ops`).

pub mod deliver;
pub mod pattern;
pub mod rules;
