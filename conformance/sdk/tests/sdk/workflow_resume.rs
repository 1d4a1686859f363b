//! A workflow's life cycle end to end, with the resume scenario of AWS's
//! "Repairing and Resuming a Workflow Run" page (J2 and J3 fail, resume from both).

use aws_sdk_glue::error::DisplayErrorContext;
use aws_sdk_glue::types::{
    Action, Condition, JobRunState, LogicalOperator, Node, NodeType, Predicate, TriggerType, WorkflowRun,
};
use aws_sdk_glue::Client;
use glue_local_conformance::{client, create_job, inject_job_outcome, unique, wait_until_completed};

fn job_node<'a>(run: &'a WorkflowRun, job: &str) -> &'a Node {
    let graph = run.graph().expect("run has a graph (IncludeGraph was true)");
    let matching: Vec<&Node> = graph
        .nodes()
        .iter()
        .filter(|n| n.r#type() == Some(&NodeType::Job) && n.name() == Some(job))
        .collect();
    assert_eq!(matching.len(), 1, "exactly one JOB node named {job} in {graph:#?}");
    matching[0]
}

/// The state of the last attempt of the node's job run, if the node ran.
fn last_state(node: &Node) -> Option<JobRunState> {
    node.job_details()?.job_runs().last()?.job_run_state().cloned()
}

fn job_run_ids(node: &Node) -> Vec<String> {
    node.job_details()
        .map(|d| d.job_runs().iter().filter_map(|r| r.id().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn on_success(job: &str) -> Predicate {
    Predicate::builder()
        .conditions(
            Condition::builder()
                .logical_operator(LogicalOperator::Equals)
                .job_name(job)
                .state(JobRunState::Succeeded)
                .build(),
        )
        .build()
}

async fn conditional_trigger(client: &Client, name: &str, workflow: &str, after: &str, job: &str) {
    client
        .create_trigger()
        .name(name)
        .workflow_name(workflow)
        .r#type(TriggerType::Conditional)
        .predicate(on_success(after))
        .actions(Action::builder().job_name(job).build())
        .start_on_creation(true)
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateTrigger {name}: {}", DisplayErrorContext(e)));
}

#[tokio::test]
async fn workflow_life_cycle_and_resume() {
    let client = client();
    let base = unique("resume");
    let w = format!("{base}-W");
    let jobs: Vec<String> = (1..=5).map(|i| format!("{base}-J{i}")).collect();
    let t: Vec<String> = (1..=5).map(|i| format!("{base}-T{i}")).collect();
    for job in &jobs {
        create_job(&client, job).await;
    }
    client
        .create_workflow()
        .name(&w)
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateWorkflow: {}", DisplayErrorContext(e)));
    client
        .create_trigger()
        .name(&t[0])
        .workflow_name(&w)
        .r#type(TriggerType::OnDemand)
        .actions(Action::builder().job_name(&jobs[0]).build())
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateTrigger T1: {}", DisplayErrorContext(e)));
    conditional_trigger(&client, &t[1], &w, &jobs[0], &jobs[1]).await;
    conditional_trigger(&client, &t[2], &w, &jobs[0], &jobs[2]).await;
    conditional_trigger(&client, &t[3], &w, &jobs[1], &jobs[3]).await;
    conditional_trigger(&client, &t[4], &w, &jobs[2], &jobs[4]).await;

    inject_job_outcome(&jobs[1], "FAILED", "boom", 1).await;
    inject_job_outcome(&jobs[2], "FAILED", "boom", 1).await;

    // --- the original run: J1 succeeds, J2 and J3 fail, J4 and J5 never run
    let original_id = client
        .start_workflow_run()
        .name(&w)
        .send()
        .await
        .unwrap_or_else(|e| panic!("StartWorkflowRun: {}", DisplayErrorContext(e)))
        .run_id()
        .expect("StartWorkflowRun returned a RunId")
        .to_string();
    let original = wait_until_completed(&client, &w, &original_id).await;
    assert_eq!(original.workflow_run_id(), Some(original_id.as_str()));
    assert_eq!(original.previous_run_id(), None, "a started run has no PreviousRunId");

    assert_eq!(
        last_state(job_node(&original, &jobs[0])),
        Some(JobRunState::Succeeded),
        "J1"
    );
    for job in &jobs[1..3] {
        let node = job_node(&original, job);
        assert_eq!(last_state(node), Some(JobRunState::Failed), "{job}");
        let last = node.job_details().unwrap().job_runs().last().unwrap();
        assert_eq!(last.error_message(), Some("boom"), "{job}'s injected error message");
    }
    for job in &jobs[3..5] {
        let node = job_node(&original, job);
        assert!(
            node.job_details().is_none_or(|d| d.job_runs().is_empty()),
            "{job} did not run, so its node has no job runs: {node:#?}"
        );
    }
    let stats = original.statistics().expect("original run has Statistics");
    assert_eq!(
        (stats.total_actions(), stats.succeeded_actions(), stats.failed_actions()),
        (3, 1, 2),
        "original run statistics (total, succeeded, failed): {stats:#?}"
    );
    assert_eq!(stats.running_actions(), 0);

    // --- resume from J2 and J3
    let j2_id = job_node(&original, &jobs[1])
        .unique_id()
        .expect("J2 UniqueId")
        .to_string();
    let j3_id = job_node(&original, &jobs[2])
        .unique_id()
        .expect("J3 UniqueId")
        .to_string();
    let resumed = client
        .resume_workflow_run()
        .name(&w)
        .run_id(&original_id)
        .node_ids(&j2_id)
        .node_ids(&j3_id)
        .send()
        .await
        .unwrap_or_else(|e| panic!("ResumeWorkflowRun: {}", DisplayErrorContext(e)));
    assert_eq!(resumed.node_ids(), [j2_id.clone(), j3_id.clone()], "restarted NodeIds");
    let new_id = resumed
        .run_id()
        .expect("ResumeWorkflowRun returned a RunId")
        .to_string();
    assert_ne!(new_id, original_id, "a resumed run has a new run id");

    let new_run = wait_until_completed(&client, &w, &new_id).await;
    assert_eq!(new_run.previous_run_id(), Some(original_id.as_str()), "PreviousRunId");
    for job in &jobs[1..5] {
        assert_eq!(
            last_state(job_node(&new_run, job)),
            Some(JobRunState::Succeeded),
            "{job} in the resumed run"
        );
    }
    for job in &jobs[1..3] {
        let before = job_run_ids(job_node(&original, job));
        let after = job_run_ids(job_node(&new_run, job));
        assert!(
            after.iter().all(|id| !before.contains(id)),
            "{job} ran again in the resumed run with new job run ids ({before:?} → {after:?})"
        );
    }
    let j1_before = job_run_ids(job_node(&original, &jobs[0]));
    assert!(!j1_before.is_empty(), "J1 ran in the original run");
    assert_eq!(
        job_run_ids(job_node(&new_run, &jobs[0])),
        j1_before,
        "J1's node is copied into the resumed run with the same job run ids"
    );
    assert_eq!(
        last_state(job_node(&new_run, &jobs[0])),
        Some(JobRunState::Succeeded),
        "J1 copied"
    );
    let stats = new_run.statistics().expect("resumed run has Statistics");
    assert_eq!(
        (stats.total_actions(), stats.succeeded_actions(), stats.failed_actions()),
        (4, 4, 0),
        "resumed run statistics count only what it started (copied J1 is not counted): {stats:#?}"
    );

    // --- the workflow's last run is the resumed one
    let workflow = client
        .get_workflow()
        .name(&w)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetWorkflow: {}", DisplayErrorContext(e)))
        .workflow()
        .cloned()
        .expect("GetWorkflow returned a Workflow");
    let last_run = workflow.last_run().expect("workflow has a LastRun");
    assert_eq!(
        last_run.workflow_run_id(),
        Some(new_id.as_str()),
        "LastRun is the resumed run"
    );
    assert_eq!(last_run.previous_run_id(), Some(original_id.as_str()));

    // --- both runs are listed, newest first
    let runs = client
        .get_workflow_runs()
        .name(&w)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetWorkflowRuns: {}", DisplayErrorContext(e)));
    let ids: Vec<&str> = runs.runs().iter().filter_map(|r| r.workflow_run_id()).collect();
    assert_eq!(
        ids,
        [new_id.as_str(), original_id.as_str()],
        "GetWorkflowRuns, newest first"
    );
}
