//! One Glue (or EventBridge) call, in one pass: target, content type and authentication up to the
//! signature (before the body is read), the signature, input validation against the
//! model, authorization on what the table of operations says, the handler, and one log line.

use super::authn;
use super::body;
use super::App;
use crate::api::{self, Ctx, MayNotify, Service};
use crate::auth::authn::Caller;
use crate::protocol::model::ViolationKind;
use crate::protocol::{request, response, WireError};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use std::time::Instant;
use tracing::info;

pub(super) async fn handle(app: &App, req: Request<Incoming>) -> Response<response::Body> {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let path = req.uri().path().to_string();
    if req.method() != Method::POST || path != "/" {
        let err = WireError::new(
            "UnknownOperationException",
            format!("No Glue operation at {} {path}", req.method()),
        )
        .with_status(StatusCode::NOT_FOUND);
        app.bodies.discard(req.into_body()).await;
        return response::error(&err, &request_id);
    }
    let (parts, body) = req.into_parts();
    let target = request::target(&parts.headers).and_then(|(prefix, op)| match Service::of_target(prefix) {
        Some(service) => Ok((service, op)),
        None => Err(request::unknown_operation(&format!(
            "glue-local answers AWSGlue and AWSEvents targets, not {prefix}.{op}"
        ))),
    });
    let operation = target.as_ref().map_or("?", |(_, op)| op);
    let mut fields = LogFields::default();
    let result = receive(app, &parts, target, body, &mut fields).await;
    let (response, status, error) = match result {
        Ok(body) => (response::success(body, &request_id), StatusCode::OK, "-"),
        Err(e) => (response::error(&e, &request_id), e.status, e.code),
    };
    info!(
        request_id = %request_id,
        operation = %operation,
        principal = fields.principal.as_deref().unwrap_or("-"),
        resource = fields.resource.as_deref().unwrap_or("-"),
        run_id = fields.run_id.as_deref().unwrap_or("-"),
        status = status.as_u16(),
        error,
        latency_us = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// What the request line of the log says beyond the operation and status.
#[derive(Default)]
struct LogFields {
    principal: Option<String>,
    /// The workflow, job, trigger or crawler the call names.
    resource: Option<String>,
    run_id: Option<String>,
}

/// What the headers alone can refuse (target, content type, declared length,
/// authentication up to the signature) is refused before the body is read.
async fn receive(
    app: &App,
    parts: &hyper::http::request::Parts,
    target: Result<(&'static Service, &str), WireError>,
    body: Incoming,
    log: &mut LogFields,
) -> Result<Vec<u8>, WireError> {
    let (service, op) = match &target {
        Ok((service, op)) => (*service, *op),
        Err(_) => (&api::SERVICES[0], ""),
    };
    let claim = target.and_then(|_| {
        request::check_content_type(&parts.headers)?;
        body::check_declared_length(&body)?;
        authn::claim(app, parts, service.signing_name)
    });
    let (body, caller) = authn::admit(app, parts, body, claim).await?;
    service_request(app, service, op, &caller, &body.bytes, log)
}

/// One call once its caller is known: input validation, authorization, then the
/// handler. Returns the response body.
fn service_request(
    app: &App,
    service: &Service,
    op: &str,
    caller: &Caller,
    body: &[u8],
    log: &mut LogFields,
) -> Result<Vec<u8>, WireError> {
    log.principal = Some(caller.arn.clone());
    let Some(operation) = service.operation(op) else {
        return Err(request::unknown_operation(&format!(
            "glue-local does not implement {op}"
        )));
    };
    let input = request::parse_json(body)?;
    (service.model)().validate_input(op, &input).map_err(|v| match v.kind {
        ViolationKind::Serialization => WireError::serialization(v.message),
        ViolationKind::InvalidInput => WireError::new(service.invalid_input, v.message),
    })?;
    log.resource = operation.resource_name(&input);
    log.run_id = input
        .get("RunId")
        .and_then(serde_json::Value::as_str)
        .map(str::to_string);
    let region = if operation.reads_only {
        app.engine.region_view(&caller.account, &caller.region)
    } else {
        app.engine.region(&caller.account, &caller.region)
    };
    let hidden = caller.authorize(
        operation.action,
        || operation.target(&input, &caller.region, &caller.account),
        |arn| region.get_tags(arn).ok(),
    )?;
    let ctx = Ctx {
        region,
        hidden,
        notify: (operation.service == "events").then(|| may_notify(app, caller)),
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| operation.handle(&ctx, input))).unwrap_or_else(|_| {
        Err(WireError::internal(format!(
            "glue-local failed while handling {op}; see its log"
        )))
    })
}

/// Whether an EventBridge target's role may deliver an event to a workflow
/// (`glue:notifyEvent` on its ARN), in the caller's account and region.
fn may_notify(app: &App, caller: &Caller) -> MayNotify {
    let iam = app.iam.read().unwrap_or_else(|e| e.into_inner()).clone();
    let (account, region) = (caller.account.clone(), caller.region.clone());
    std::sync::Arc::new(move |role: Option<&str>, workflow: &str| {
        crate::auth::authorize::role_may(
            iam.as_deref(),
            &account,
            &region,
            role,
            crate::control::NOTIFY_EVENT,
            workflow,
        )
    })
}
