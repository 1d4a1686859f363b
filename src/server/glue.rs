//! One Glue call: target, content type, authentication, input validation,
//! authorization, the handler, and one log line.

use super::authn::{self, Access, Caller};
use super::body;
use super::App;
use crate::api::{self, Ctx};
use crate::auth::iam_config::IamConfig;
use crate::auth::{policy, sigv4};
use crate::engine::workflow::Tags;
use crate::engine::Region;
use crate::protocol::model::ViolationKind;
use crate::protocol::{request, response, WireError};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use std::cell::OnceCell;
use std::collections::HashSet;
use std::time::Instant;
use tracing::info;

const SERVICE_PREFIX: &str = "AWSGlue";

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
    let operation = request::target_operation(&parts.headers, SERVICE_PREFIX)
        .unwrap_or("?")
        .to_string();
    let mut fields = LogFields::default();
    let result = receive(app, &parts, body, &mut fields).await;
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
    body: Incoming,
    log: &mut LogFields,
) -> Result<Vec<u8>, WireError> {
    let admitted = request::target_operation(&parts.headers, SERVICE_PREFIX).and_then(|op| {
        request::check_content_type(&parts.headers)?;
        body::check_declared_length(&body)?;
        Ok((op, authn::claim(app, parts)?))
    });
    let (op, claim) = match admitted {
        Ok(admitted) => admitted,
        Err(e) => {
            app.bodies.discard(body).await;
            return Err(e);
        }
    };
    let body = app.bodies.read(body).await?;
    let caller = claim.verify(app, parts, &body.bytes)?;
    glue_request(app, op, &caller, &body.bytes, log)
}

/// One Glue call once its caller is known: input validation, authorization, then the
/// handler. Returns the response body.
fn glue_request(app: &App, op: &str, caller: &Caller, body: &[u8], log: &mut LogFields) -> Result<Vec<u8>, WireError> {
    log.principal = Some(caller.arn.clone());
    let model = api::model();
    let Some(operation) = api::operation(op).filter(|_| model.has_operation(op)) else {
        return Err(request::unknown_operation(&format!(
            "glue-local does not implement {op}"
        )));
    };
    let input = request::parse_json(body)?;
    model.validate_input(op, &input).map_err(|v| match v.kind {
        ViolationKind::Serialization => WireError::serialization(v.message),
        ViolationKind::InvalidInput => WireError::invalid_input(v.message),
    })?;
    log.resource = operation.resource_name(&input).map(str::to_string);
    log.run_id = input
        .get("RunId")
        .and_then(serde_json::Value::as_str)
        .map(str::to_string);
    let region = if operation.reads_only {
        app.engine.region_view(&caller.account, &caller.region)
    } else {
        app.engine.region(&caller.account, &caller.region)
    };
    let hidden = match &caller.access {
        Access::Unrestricted => HashSet::new(),
        Access::Policies(iam) => authorize(iam, caller, operation, &input, &region)?,
        Access::Denied(why) => {
            let resource = operation.resource_arn(&input, &caller.region, &caller.account);
            return Err(WireError::new(
                "AccessDeniedException",
                format!(
                    "User: {} is not authorized to perform: glue:{op} on resource: {resource} {why}",
                    caller.arn
                ),
            ));
        }
    };
    let ctx = Ctx { region, hidden };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| operation.handle(&ctx, input))).unwrap_or_else(|_| {
        Err(WireError::internal(format!(
            "glue-local failed while handling {op}; see its log"
        )))
    })
}

/// Evaluates `action` on `resource` for the caller; a denial is AWS's AccessDeniedException.
pub(super) fn check_policy(
    iam: &IamConfig,
    caller: &Caller,
    action: &str,
    resource: &str,
    tags: Option<&dyn policy::ResourceTags>,
) -> Result<(), WireError> {
    let principal = iam
        .principals()
        .iter()
        .find(|p| p.arn == caller.arn)
        .ok_or_else(|| super::authn::auth_failure(sigv4::AuthError::UnrecognizedClient))?;
    let mut ctx = policy::RequestContext::new(action, resource, &caller.region);
    if let Some(tags) = tags {
        ctx = ctx.with_resource_tags(tags);
    }
    let decision = policy::evaluate(principal, &ctx);
    if decision.is_allowed() {
        Ok(())
    } else {
        Err(WireError::new(
            "AccessDeniedException",
            policy::denial_message(&caller.arn, action, resource, decision),
        ))
    }
}

/// Checks `glue:<op>` on the resource the call names. BatchGet* calls are checked on
/// each named resource: those denied are returned, to be answered as not found, and
/// the call is refused only when none is allowed.
fn authorize(
    iam: &IamConfig,
    caller: &Caller,
    op: &api::Operation,
    input: &serde_json::Value,
    region: &Region,
) -> Result<HashSet<String>, WireError> {
    let action = format!("glue:{}", op.name);
    let check = |resource: &str| check_policy(iam, caller, &action, resource, Some(&TagsOf::new(region, resource)));
    let Some(named) = op.each_resource(input, &caller.region, &caller.account) else {
        let resource = op.resource_arn(input, &caller.region, &caller.account);
        return check(&resource).map(|()| HashSet::new());
    };
    let mut hidden = HashSet::new();
    let mut denial = None;
    let mut any_allowed = false;
    for (name, arn) in named {
        match check(&arn) {
            Ok(()) => any_allowed = true,
            Err(e) => {
                denial.get_or_insert(e);
                hidden.insert(name);
            }
        }
    }
    match denial {
        Some(e) if !any_allowed => Err(e),
        // Nothing named: nothing to hide, but the caller needs the action at all.
        None if !any_allowed => check("*").map(|()| hidden),
        _ => Ok(hidden),
    }
}

/// A resource's tags for `aws:ResourceTag/<key>` conditions: read once, and only
/// if a policy asks; keys match case-insensitively, as in AWS.
pub(super) struct TagsOf<'a> {
    region: &'a Region,
    arn: &'a str,
    tags: OnceCell<Option<Tags>>,
}

impl<'a> TagsOf<'a> {
    pub(super) fn new(region: &'a Region, arn: &'a str) -> Self {
        TagsOf {
            region,
            arn,
            tags: OnceCell::new(),
        }
    }
}

impl policy::ResourceTags for TagsOf<'_> {
    fn resource_tag(&self, key: &str) -> Option<String> {
        self.tags
            .get_or_init(|| self.region.get_tags(self.arn).ok())
            .as_ref()?
            .resource_tag(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::policy::ResourceTags;
    use std::sync::Arc;

    #[test]
    fn resource_tag_keys_match_in_any_case() {
        let region = Region::new("123456789012", "us-east-1", Arc::default(), None);
        let tags = Tags::from([("Team".to_string(), "Data".to_string())]);
        region.create_workflow("W", Default::default(), tags).unwrap();
        let arn = "arn:aws:glue:us-east-1:123456789012:workflow/W";
        let of = TagsOf::new(&region, arn);
        for key in ["Team", "team", "TEAM"] {
            assert_eq!(of.resource_tag(key).as_deref(), Some("Data"), "{key}");
        }
        assert_eq!(of.resource_tag("other"), None);
        assert_eq!(
            TagsOf::new(&region, "arn:aws:glue:us-east-1:123456789012:workflow/X").resource_tag("team"),
            None
        );
    }
}
