//! An error as it goes on the wire: a code, a message and an HTTP status.

use hyper::StatusCode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    pub code: &'static str,
    pub message: String,
    pub status: StatusCode,
}

impl WireError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        WireError {
            code,
            message: message.into(),
            status: StatusCode::BAD_REQUEST,
        }
    }

    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new("SerializationException", message)
    }

    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new("InvalidInputException", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("InternalServiceException", message).with_status(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}
