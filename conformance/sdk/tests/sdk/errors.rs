//! Service errors as the SDK sees them: the code from `ProvideErrorMetadata` and the typed variant.

use std::path::PathBuf;

use aws_sdk_glue::error::DisplayErrorContext;
use aws_sdk_glue::operation::create_workflow::CreateWorkflowError;
use aws_sdk_glue::operation::get_workflow::GetWorkflowError;
use aws_sdk_glue::operation::resume_workflow_run::ResumeWorkflowRunError;
use aws_sdk_glue::types::{
    Action, Condition, JobRunState, LogicalOperator, Node, NodeType, Predicate, TriggerType, WorkflowRunStatus,
};
use aws_sdk_glue::Client;
use glue_local_conformance::{
    client, create_job, create_job_with_script, expect_service_error, inject_job_outcome, scripts_dir, unique,
    wait_for, wait_until_completed, RUN_TIMEOUT,
};

async fn create_workflow(client: &Client, name: &str) {
    client
        .create_workflow()
        .name(name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateWorkflow {name}: {}", DisplayErrorContext(e)));
}

async fn on_demand_trigger(client: &Client, name: &str, workflow: &str, job: &str) {
    client
        .create_trigger()
        .name(name)
        .workflow_name(workflow)
        .r#type(TriggerType::OnDemand)
        .actions(Action::builder().job_name(job).build())
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateTrigger {name}: {}", DisplayErrorContext(e)));
}

async fn start_run(client: &Client, workflow: &str) -> String {
    client
        .start_workflow_run()
        .name(workflow)
        .send()
        .await
        .unwrap_or_else(|e| panic!("StartWorkflowRun {workflow}: {}", DisplayErrorContext(e)))
        .run_id()
        .expect("StartWorkflowRun returned a RunId")
        .to_string()
}

fn node<'a>(nodes: &'a [Node], kind: NodeType, name: &str) -> &'a Node {
    nodes
        .iter()
        .find(|n| n.r#type() == Some(&kind) && n.name() == Some(name))
        .unwrap_or_else(|| panic!("no {kind:?} node {name} in {nodes:#?}"))
}

#[tokio::test]
async fn get_workflow_of_a_missing_name_is_entity_not_found() {
    let client = client();
    let name = unique("missing");
    let err = expect_service_error(
        client.get_workflow().name(&name).send().await,
        "EntityNotFoundException",
        "GetWorkflow of a missing workflow",
    );
    assert!(
        matches!(err, GetWorkflowError::EntityNotFoundException(_)),
        "typed variant: {err:?}"
    );
}

#[tokio::test]
async fn creating_a_workflow_twice_is_already_exists() {
    let client = client();
    let name = unique("twice");
    create_workflow(&client, &name).await;
    let err = expect_service_error(
        client.create_workflow().name(&name).send().await,
        "AlreadyExistsException",
        "second CreateWorkflow",
    );
    assert!(
        matches!(err, CreateWorkflowError::AlreadyExistsException(_)),
        "typed variant: {err:?}"
    );
}

#[tokio::test]
async fn a_name_over_255_characters_is_invalid_input() {
    let client = client();
    let long = "n".repeat(256);
    let err = expect_service_error(
        client.get_workflow().name(&long).send().await,
        "InvalidInputException",
        "GetWorkflow with a 256-character name",
    );
    assert!(
        matches!(err, GetWorkflowError::InvalidInputException(_)),
        "typed variant: {err:?}"
    );
    let message = aws_sdk_glue::error::ProvideErrorMetadata::message(&err).unwrap_or_default();
    assert!(
        message.contains("failed to satisfy constraint"),
        "AWS-style validation message: {message}"
    );
    let err = expect_service_error(
        client.create_workflow().name(&long).send().await,
        "InvalidInputException",
        "CreateWorkflow with a 256-character name",
    );
    assert!(
        matches!(err, CreateWorkflowError::InvalidInputException(_)),
        "typed variant: {err:?}"
    );
    // exactly 255 characters is fine for a lookup: it is simply not there
    expect_service_error(
        client.get_workflow().name("n".repeat(255)).send().await,
        "EntityNotFoundException",
        "GetWorkflow with a 255-character name",
    );
}

/// A COMPLETED run where J1 failed, so the conditional trigger to J2 never fired.
#[tokio::test]
async fn resume_with_bad_node_ids_or_run_id_is_refused() {
    let client = client();
    let base = unique("resume-bad");
    let (w, j1, j2, t1, t2) = (
        format!("{base}-W"),
        format!("{base}-J1"),
        format!("{base}-J2"),
        format!("{base}-T1"),
        format!("{base}-T2"),
    );
    create_job(&client, &j1).await;
    create_job(&client, &j2).await;
    create_workflow(&client, &w).await;
    on_demand_trigger(&client, &t1, &w, &j1).await;
    client
        .create_trigger()
        .name(&t2)
        .workflow_name(&w)
        .r#type(TriggerType::Conditional)
        .predicate(
            Predicate::builder()
                .conditions(
                    Condition::builder()
                        .logical_operator(LogicalOperator::Equals)
                        .job_name(&j1)
                        .state(JobRunState::Succeeded)
                        .build(),
                )
                .build(),
        )
        .actions(Action::builder().job_name(&j2).build())
        .start_on_creation(true)
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateTrigger T2: {}", DisplayErrorContext(e)));
    inject_job_outcome(&j1, "FAILED", "boom", 1).await;
    let run_id = start_run(&client, &w).await;
    let run = wait_until_completed(&client, &w, &run_id).await;
    let nodes = run.graph().expect("graph").nodes();
    let trigger_node = node(nodes, NodeType::Trigger, &t1).unique_id().expect("T1 UniqueId");
    let j2_node = node(nodes, NodeType::Job, &j2).unique_id().expect("J2 UniqueId");
    let j1_node = node(nodes, NodeType::Job, &j1).unique_id().expect("J1 UniqueId");

    let resume = || client.resume_workflow_run().name(&w).run_id(&run_id);
    let cases = [
        (vec![trigger_node.to_string()], "a trigger node"),
        (vec![j2_node.to_string()], "a job node the run did not attempt"),
        (vec![format!("wnode_{}", "0".repeat(64))], "a node id not in the graph"),
        (vec![], "no node ids"),
    ];
    for (node_ids, what) in cases {
        let err = expect_service_error(
            resume().set_node_ids(Some(node_ids)).send().await,
            "InvalidInputException",
            &format!("ResumeWorkflowRun with {what}"),
        );
        assert!(
            matches!(err, ResumeWorkflowRunError::InvalidInputException(_)),
            "{what}: typed variant: {err:?}"
        );
    }

    let unknown_run = format!("wr_{}", "0".repeat(64));
    let err = expect_service_error(
        client
            .resume_workflow_run()
            .name(&w)
            .run_id(&unknown_run)
            .node_ids(j1_node)
            .send()
            .await,
        "EntityNotFoundException",
        "ResumeWorkflowRun of an unknown run id",
    );
    assert!(
        matches!(err, ResumeWorkflowRunError::EntityNotFoundException(_)),
        "typed variant: {err:?}"
    );
    let err = expect_service_error(
        client
            .resume_workflow_run()
            .name(unique("no-such-workflow"))
            .run_id(&run_id)
            .node_ids(j1_node)
            .send()
            .await,
        "EntityNotFoundException",
        "ResumeWorkflowRun of a missing workflow",
    );
    assert!(
        matches!(err, ResumeWorkflowRunError::EntityNotFoundException(_)),
        "typed variant: {err:?}"
    );

    // after all those refusals the run can still be resumed from J1
    let resumed = resume()
        .node_ids(j1_node)
        .send()
        .await
        .unwrap_or_else(|e| panic!("ResumeWorkflowRun from J1: {}", DisplayErrorContext(e)));
    assert_eq!(resumed.node_ids(), [j1_node.to_string()]);
    let new_run = wait_until_completed(&client, &w, resumed.run_id().expect("RunId")).await;
    assert_eq!(new_run.previous_run_id(), Some(run_id.as_str()));
}

/// Creates the gate file when dropped, so a failing test never leaves the script waiting.
struct Gate {
    dir: PathBuf,
}

impl Gate {
    fn open(&self) {
        std::fs::write(self.dir.join("GATE"), b"open").expect("write the gate file");
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        let _ = std::fs::write(self.dir.join("GATE"), b"open");
    }
}

/// A job that waits for a gate file keeps its run RUNNING for as long as the test needs,
/// whatever `--job-duration` the server has (the server must be on this machine).
#[tokio::test]
async fn resume_of_a_running_run_is_illegal_workflow_state() {
    let client = client();
    let base = unique("resume-running");
    let dir = scripts_dir().join(&base);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let gate = Gate { dir: dir.clone() };
    let script = dir.join("wait_for_gate.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n# waits (60 s at most) until the test opens the gate\ni=0\n\
             while [ ! -e '{}' ] && [ \"$i\" -lt 1200 ]; do sleep 0.05; i=$((i+1)); done\nexit 0\n",
            dir.join("GATE").display()
        ),
    )
    .expect("write the script");

    let (w, j, t) = (format!("{base}-W"), format!("{base}-J"), format!("{base}-T"));
    create_job_with_script(&client, &j, &format!("file://{}", script.display())).await;
    create_workflow(&client, &w).await;
    on_demand_trigger(&client, &t, &w, &j).await;
    let run_id = start_run(&client, &w).await;

    let job_node = wait_for("the gated job run to be RUNNING", RUN_TIMEOUT, || async {
        let out = client
            .get_workflow_run()
            .name(&w)
            .run_id(&run_id)
            .include_graph(true)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GetWorkflowRun: {}", DisplayErrorContext(e)));
        let run = out.run().expect("Run");
        assert_eq!(
            run.status(),
            Some(&WorkflowRunStatus::Running),
            "the run is RUNNING while its job waits at the gate: {run:#?}"
        );
        let node = node(run.graph()?.nodes(), NodeType::Job, &j).clone();
        let state = node.job_details()?.job_runs().last()?.job_run_state()?.clone();
        (state == JobRunState::Running).then_some(node)
    })
    .await;

    let err = expect_service_error(
        client
            .resume_workflow_run()
            .name(&w)
            .run_id(&run_id)
            .node_ids(job_node.unique_id().expect("UniqueId"))
            .send()
            .await,
        "IllegalWorkflowStateException",
        "ResumeWorkflowRun of a RUNNING run",
    );
    assert!(
        matches!(err, ResumeWorkflowRunError::IllegalWorkflowStateException(_)),
        "typed variant: {err:?}"
    );

    gate.open();
    let run = wait_until_completed(&client, &w, &run_id).await;
    let last = node(run.graph().expect("graph").nodes(), NodeType::Job, &j)
        .job_details()
        .and_then(|d| d.job_runs().last())
        .cloned()
        .expect("the job ran");
    assert_eq!(
        last.job_run_state(),
        Some(&JobRunState::Succeeded),
        "the script exited 0: {last:#?}"
    );
    drop(gate);
    let _ = std::fs::remove_dir_all(&dir);
}
