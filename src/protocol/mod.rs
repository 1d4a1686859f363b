//! AWS JSON 1.1 framing: which operation a request names, its JSON body, and
//! how results and errors go back on the wire. Knows nothing about Glue.

pub mod error;
pub mod model;
pub mod request;
pub mod response;

pub use error::WireError;
