//! Tags on ARNs, and the separation of state between regions.

use std::collections::HashMap;

use aws_sdk_glue::error::DisplayErrorContext;
use aws_sdk_glue::operation::get_tags::GetTagsError;
use aws_sdk_glue::operation::get_workflow::GetWorkflowError;
use aws_sdk_glue::Client;
use glue_local_conformance::{account_id, client, client_in, create_job, expect_service_error, unique, REGION};

fn arn(region: &str, kind: &str, name: &str) -> String {
    format!("arn:aws:glue:{region}:{}:{kind}/{name}", account_id())
}

fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

async fn tags_of(client: &Client, arn: &str) -> HashMap<String, String> {
    client
        .get_tags()
        .resource_arn(arn)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetTags {arn}: {}", DisplayErrorContext(e)))
        .tags()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn tags_round_trip() {
    let client = client();
    let w = unique("tags");
    client
        .create_workflow()
        .name(&w)
        .tags("team", "data")
        .tags("env", "test")
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateWorkflow: {}", DisplayErrorContext(e)));
    let w_arn = arn(REGION, "workflow", &w);
    assert_eq!(
        tags_of(&client, &w_arn).await,
        map(&[("team", "data"), ("env", "test")])
    );

    client
        .tag_resource()
        .resource_arn(&w_arn)
        .tags_to_add("owner", "conformance")
        .tags_to_add("env", "prod")
        .send()
        .await
        .unwrap_or_else(|e| panic!("TagResource: {}", DisplayErrorContext(e)));
    assert_eq!(
        tags_of(&client, &w_arn).await,
        map(&[("team", "data"), ("env", "prod"), ("owner", "conformance")]),
        "TagResource adds keys and overwrites existing ones"
    );

    client
        .untag_resource()
        .resource_arn(&w_arn)
        .tags_to_remove("team")
        .tags_to_remove("not-there")
        .send()
        .await
        .unwrap_or_else(|e| panic!("UntagResource: {}", DisplayErrorContext(e)));
    assert_eq!(
        tags_of(&client, &w_arn).await,
        map(&[("env", "prod"), ("owner", "conformance")]),
        "UntagResource removes the keys named"
    );

    // ListJobs filters by tags
    let (tagged, untagged) = (unique("tags-job"), unique("tags-job"));
    create_job(&client, &untagged).await;
    create_job(&client, &tagged).await;
    client
        .tag_resource()
        .resource_arn(arn(REGION, "job", &tagged))
        .tags_to_add("suite", &w)
        .send()
        .await
        .unwrap_or_else(|e| panic!("TagResource job: {}", DisplayErrorContext(e)));
    let listed = client
        .list_jobs()
        .tags("suite", &w)
        .send()
        .await
        .unwrap_or_else(|e| panic!("ListJobs: {}", DisplayErrorContext(e)));
    assert_eq!(
        listed.job_names(),
        std::slice::from_ref(&tagged),
        "ListJobs with Tags lists only the tagged job"
    );

    // a resource that does not exist
    let missing = arn(REGION, "workflow", &unique("tags-missing"));
    let err = expect_service_error(
        client.get_tags().resource_arn(&missing).send().await,
        "EntityNotFoundException",
        "GetTags of a missing workflow's ARN",
    );
    assert!(
        matches!(err, GetTagsError::EntityNotFoundException(_)),
        "typed variant: {err:?}"
    );
}

#[tokio::test]
async fn regions_are_isolated() {
    const OTHER: &str = "eu-west-1";
    let east = client();
    let west = client_in(OTHER);
    let w = unique("region");
    east.create_workflow()
        .name(&w)
        .description("east")
        .tags("region", REGION)
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateWorkflow in {REGION}: {}", DisplayErrorContext(e)));

    let err = expect_service_error(
        west.get_workflow().name(&w).send().await,
        "EntityNotFoundException",
        "GetWorkflow in another region",
    );
    assert!(
        matches!(err, GetWorkflowError::EntityNotFoundException(_)),
        "typed variant: {err:?}"
    );
    let west_names: Vec<String> = west
        .list_workflows()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap_or_else(|e| panic!("ListWorkflows in {OTHER}: {}", DisplayErrorContext(e)));
    assert!(!west_names.contains(&w), "{OTHER} does not list {REGION}'s workflow");

    // the same name is free in the other region, and the two are separate
    west.create_workflow()
        .name(&w)
        .description("west")
        .tags("region", OTHER)
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateWorkflow {w} in {OTHER}: {}", DisplayErrorContext(e)));
    let description = |out: aws_sdk_glue::operation::get_workflow::GetWorkflowOutput| {
        out.workflow().and_then(|w| w.description()).map(str::to_string)
    };
    let east_wf = east.get_workflow().name(&w).send().await.expect("GetWorkflow east");
    let west_wf = west.get_workflow().name(&w).send().await.expect("GetWorkflow west");
    assert_eq!(description(east_wf).as_deref(), Some("east"));
    assert_eq!(description(west_wf).as_deref(), Some("west"));
    assert_eq!(
        tags_of(&east, &arn(REGION, "workflow", &w)).await,
        map(&[("region", REGION)])
    );
    assert_eq!(
        tags_of(&west, &arn(OTHER, "workflow", &w)).await,
        map(&[("region", OTHER)])
    );

    // deleting in one region leaves the other alone
    west.delete_workflow()
        .name(&w)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DeleteWorkflow in {OTHER}: {}", DisplayErrorContext(e)));
    expect_service_error(
        west.get_workflow().name(&w).send().await,
        "EntityNotFoundException",
        "GetWorkflow after DeleteWorkflow",
    );
    let east_wf = east
        .get_workflow()
        .name(&w)
        .send()
        .await
        .expect("GetWorkflow east after the delete");
    assert_eq!(description(east_wf).as_deref(), Some("east"));
}
