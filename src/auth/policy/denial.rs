//! The text of AWS's AccessDeniedException.

use super::evaluate::Decision;

/// AWS's AccessDeniedException text. `decision` must be a denial (an `Allow`
/// is worded as an implicit deny).
pub fn denial_message(principal_arn: &str, action: &str, resource: &str, decision: Decision) -> String {
    let why = match decision {
        Decision::ExplicitDeny => "with an explicit deny in an identity-based policy".to_string(),
        Decision::ImplicitDeny | Decision::Allow => {
            format!("because no identity-based policy allows the {action} action")
        }
    };
    format!("User: {principal_arn} is not authorized to perform: {action} on resource: {resource} {why}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:iam::123456789012:user/reader";
    const WF: &str = "arn:aws:glue:us-east-1:123456789012:workflow/W1";

    #[test]
    fn denial_messages() {
        assert_eq!(
            denial_message(ARN, "glue:ResumeWorkflowRun", WF, Decision::ImplicitDeny),
            "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: glue:ResumeWorkflowRun on resource: arn:aws:glue:us-east-1:123456789012:workflow/W1 because no identity-based policy allows the glue:ResumeWorkflowRun action"
        );
        assert_eq!(
            denial_message(ARN, "glue:ResumeWorkflowRun", WF, Decision::ExplicitDeny),
            "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: glue:ResumeWorkflowRun on resource: arn:aws:glue:us-east-1:123456789012:workflow/W1 with an explicit deny in an identity-based policy"
        );
    }
}
