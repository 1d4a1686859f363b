//! `glue_local::testing::TestServer`: the server inside this test's own tokio runtime,
//! no external process and no `GLUE_LOCAL_ENDPOINT`.

use aws_sdk_glue::error::DisplayErrorContext;
use aws_sdk_glue::types::{Action, JobRunState, NodeType, TriggerType, WorkflowRunStatus};
use glue_local::testing::TestServer;
use glue_local_conformance::{client_at, create_job, wait_for, wait_until_completed, RUN_TIMEOUT};
use std::net::TcpStream;

fn refuses_connections(endpoint: &str) -> bool {
    let authority = endpoint.trim_start_matches("http://");
    TcpStream::connect(authority).is_err()
}

#[tokio::test]
async fn in_process_server_runs_a_workflow_and_stops() {
    let server = TestServer::start_with_args(["--job-duration", "0ms"])
        .await
        .expect("in-process server starts");
    assert!(
        server.endpoint_url().starts_with("http://127.0.0.1:"),
        "{}",
        server.endpoint_url()
    );
    assert_eq!(server.account_id(), "123456789012");
    let client = client_at(server.endpoint_url(), server.region());

    create_job(&client, "in-process-job").await;
    client
        .create_workflow()
        .name("in-process")
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateWorkflow: {}", DisplayErrorContext(e)));
    client
        .create_trigger()
        .name("in-process-start")
        .workflow_name("in-process")
        .r#type(TriggerType::OnDemand)
        .actions(Action::builder().job_name("in-process-job").build())
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateTrigger: {}", DisplayErrorContext(e)));
    let run_id = client
        .start_workflow_run()
        .name("in-process")
        .send()
        .await
        .unwrap_or_else(|e| panic!("StartWorkflowRun: {}", DisplayErrorContext(e)))
        .run_id
        .expect("a run id");

    let run = wait_until_completed(&client, "in-process", &run_id).await;
    assert_eq!(run.status(), Some(&WorkflowRunStatus::Completed));
    let job = run
        .graph()
        .expect("graph")
        .nodes()
        .iter()
        .find(|n| n.r#type() == Some(&NodeType::Job))
        .expect("the job's node");
    let last = job.job_details().and_then(|d| d.job_runs().last()).expect("a job run");
    assert_eq!(last.job_run_state(), Some(&JobRunState::Succeeded));
    let workflow = client
        .get_workflow()
        .name("in-process")
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetWorkflow: {}", DisplayErrorContext(e)))
        .workflow
        .expect("the workflow");
    assert_eq!(
        workflow.last_run().and_then(|r| r.workflow_run_id()),
        Some(run_id.as_str())
    );

    let endpoint = server.endpoint_url().to_string();
    server.stop().await;
    assert!(
        refuses_connections(&endpoint),
        "{endpoint} still accepts connections after stop()"
    );
}

#[tokio::test]
async fn in_process_server_shuts_down_on_drop() {
    let server = TestServer::start().await.expect("in-process server starts");
    let endpoint = server.endpoint_url().to_string();
    let client = client_at(&endpoint, server.region());
    client
        .list_workflows()
        .send()
        .await
        .unwrap_or_else(|e| panic!("ListWorkflows: {}", DisplayErrorContext(e)));
    drop(server);
    wait_for("the dropped server to close its port", RUN_TIMEOUT, || {
        let closed = refuses_connections(&endpoint);
        async move { closed.then_some(()) }
    })
    .await;
}

#[tokio::test]
async fn in_process_server_rejects_bad_flags() {
    let err = TestServer::start_with_args(["--job-duration", "soon"])
        .await
        .err()
        .expect("a bad flag is an error, not a server");
    assert!(err.contains("job-duration"), "{err}");
}
