//! Request bodies within bounds: at most [`request::MAX_BODY_BYTES`] each (a larger
//! declared length is refused before anything is read), received within the body
//! timeout, and — beyond small bodies — within a budget of bytes buffered across
//! all connections at once.

use crate::protocol::{request, WireError};
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use hyper::body::{Body as _, Incoming};
use hyper::StatusCode;
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Bodies up to this size are not counted against the budget: every request may
/// have one, and the connection cap bounds how many there are.
const UNMETERED_BYTES: usize = 64 * 1024;
/// A body of unknown length (chunked) reserves budget in steps of this size.
const RESERVE_STEP: usize = 1024 * 1024;

pub struct BodyLimits {
    budget: Semaphore,
    budget_bytes: usize,
    /// `None`: no limit.
    timeout: Option<Duration>,
}

/// A body read whole; its bytes count against the budget until this is dropped.
pub(super) struct ReadBody<'a> {
    pub(super) bytes: Bytes,
    _reserved: Option<SemaphorePermit<'a>>,
}

impl BodyLimits {
    pub fn new(budget_bytes: usize, timeout: Duration) -> BodyLimits {
        BodyLimits {
            budget: Semaphore::new(budget_bytes.min(Semaphore::MAX_PERMITS)),
            budget_bytes,
            timeout: Some(timeout).filter(|t| !t.is_zero()),
        }
    }

    /// Reads `body`: refused at once if its declared length is over the limit or the
    /// budget has no room for it; cut off when it grows over the limit or takes longer
    /// than the body timeout.
    pub(super) async fn read<'a>(&'a self, body: Incoming) -> Result<ReadBody<'a>, WireError> {
        check_declared_length(&body)?;
        let declared = body.size_hint().lower() as usize;
        let mut reserved = None;
        if declared > UNMETERED_BYTES {
            self.reserve(&mut reserved, declared)?;
        }
        let collect = self.collect(body, &mut reserved);
        let bytes = match self.timeout {
            Some(limit) => tokio::time::timeout(limit, collect)
                .await
                .map_err(|_| timed_out(limit))??,
            None => collect.await?,
        };
        Ok(ReadBody {
            bytes,
            _reserved: reserved,
        })
    }

    async fn collect<'a>(
        &'a self,
        mut body: Incoming,
        reserved: &mut Option<SemaphorePermit<'a>>,
    ) -> Result<Bytes, WireError> {
        let mut chunks: Vec<Bytes> = Vec::with_capacity(1);
        let mut total = 0;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| WireError::serialization(format!("Cannot read the request body: {e}")))?;
            let Ok(data) = frame.into_data() else { continue };
            total += data.len();
            if total > request::MAX_BODY_BYTES {
                return Err(request::too_large());
            }
            let held = reserved.as_ref().map_or(0, SemaphorePermit::num_permits);
            if total > UNMETERED_BYTES && total > held {
                let step = (total - held).max(RESERVE_STEP).min(request::MAX_BODY_BYTES - held);
                self.reserve(reserved, step)?;
            }
            chunks.push(data);
        }
        if chunks.len() == 1 {
            return Ok(chunks.swap_remove(0)); // most bodies arrive in one piece: no copy
        }
        let mut whole = BytesMut::with_capacity(total);
        chunks.iter().for_each(|c| whole.extend_from_slice(c));
        Ok(whole.freeze())
    }

    /// Adds `bytes` to what `reserved` holds, or refuses the request when the budget has no room.
    fn reserve<'a>(&'a self, reserved: &mut Option<SemaphorePermit<'a>>, bytes: usize) -> Result<(), WireError> {
        let permit = u32::try_from(bytes)
            .ok()
            .and_then(|n| self.budget.try_acquire_many(n).ok())
            .ok_or_else(|| {
                WireError::new(
                    "ThrottlingException",
                    format!(
                        "Rate exceeded: glue-local is receiving {} bytes of request bodies already \
                         (--max-body-bytes-in-flight); retry",
                        self.budget_bytes
                    ),
                )
            })?;
        match reserved {
            Some(held) => held.merge(permit),
            None => *reserved = Some(permit),
        }
        Ok(())
    }
}

impl BodyLimits {
    /// Reads and drops a small body before an early refusal, so that a client still
    /// sending it gets the answer rather than a reset connection. A larger one is left
    /// unread: the answer goes out at once and the connection closes.
    pub(super) async fn discard(&self, mut body: Incoming) {
        if body.size_hint().lower() > UNMETERED_BYTES as u64 {
            return;
        }
        let drain = async {
            let mut seen = 0;
            while let Some(Ok(frame)) = body.frame().await {
                seen += frame.data_ref().map_or(0, Bytes::len);
                if seen > UNMETERED_BYTES {
                    break;
                }
            }
        };
        match self.timeout {
            Some(limit) => {
                let _ = tokio::time::timeout(limit, drain).await;
            }
            None => drain.await,
        }
    }
}

/// A declared `Content-Length` over the limit: refused from the headers alone.
pub(super) fn check_declared_length(body: &Incoming) -> Result<(), WireError> {
    if body.size_hint().lower() > request::MAX_BODY_BYTES as u64 {
        return Err(request::too_large());
    }
    Ok(())
}

fn timed_out(limit: Duration) -> WireError {
    WireError::new(
        "RequestTimeoutException",
        format!(
            "The request body was not received within {} ms (--body-timeout)",
            limit.as_millis()
        ),
    )
    .with_status(StatusCode::REQUEST_TIMEOUT)
}
