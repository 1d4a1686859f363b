//! Engine errors as Glue error codes.

use crate::engine::Error;
use crate::protocol::WireError;

impl From<Error> for WireError {
    fn from(e: Error) -> WireError {
        let code = match &e {
            Error::NotFound(_) => "EntityNotFoundException",
            Error::AlreadyExists(_) => "AlreadyExistsException",
            Error::InvalidInput(_) => "InvalidInputException",
            Error::ConcurrentRunsExceeded(_) => "ConcurrentRunsExceededException",
            Error::IllegalWorkflowState(_) => "IllegalWorkflowStateException",
            Error::CrawlerRunning(_) => "CrawlerRunningException",
            Error::CrawlerNotRunning(_) => "CrawlerNotRunningException",
            Error::CrawlerStopping(_) => "CrawlerStoppingException",
            Error::NoSchedule(_) => "NoScheduleException",
            Error::SchedulerRunning(_) => "SchedulerRunningException",
            Error::SchedulerNotRunning(_) => "SchedulerNotRunningException",
            Error::IdempotentParameterMismatch(_) => "IdempotentParameterMismatchException",
            Error::ResourceNumberLimitExceeded(_) => "ResourceNumberLimitExceededException",
            Error::ConcurrentModification(_) => "ConcurrentModificationException",
            Error::Internal(m) => return WireError::internal(m.clone()),
        };
        WireError::new(code, e.to_string())
    }
}
