//! What can go wrong in the domain; the API layer maps each kind to its Glue error code.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    NotFound(String),
    AlreadyExists(String),
    InvalidInput(String),
    ConcurrentRunsExceeded(String),
    IllegalWorkflowState(String),
    CrawlerRunning(String),
    CrawlerNotRunning(String),
    CrawlerStopping(String),
    /// StartCrawlerSchedule of a crawler without a schedule.
    NoSchedule(String),
    /// StartCrawlerSchedule of a crawler already SCHEDULED.
    SchedulerRunning(String),
    /// StopCrawlerSchedule of a crawler not SCHEDULED.
    SchedulerNotRunning(String),
    IdempotentParameterMismatch(String),
    ResourceNumberLimitExceeded(String),
    /// UpdateTable's VersionId is not the table's current version.
    ConcurrentModification(String),
    /// The change could not be saved (the state dir's disk is full, ...): it was not made.
    Internal(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (Error::NotFound(m)
        | Error::AlreadyExists(m)
        | Error::InvalidInput(m)
        | Error::ConcurrentRunsExceeded(m)
        | Error::IllegalWorkflowState(m)
        | Error::CrawlerRunning(m)
        | Error::CrawlerNotRunning(m)
        | Error::CrawlerStopping(m)
        | Error::NoSchedule(m)
        | Error::SchedulerRunning(m)
        | Error::SchedulerNotRunning(m)
        | Error::IdempotentParameterMismatch(m)
        | Error::ResourceNumberLimitExceeded(m)
        | Error::ConcurrentModification(m)
        | Error::Internal(m)) = self;
        f.write_str(m)
    }
}
