//! ListWorkflows through the SDK's paginator.

use aws_sdk_glue::error::DisplayErrorContext;
use glue_local_conformance::{client, unique};

#[tokio::test]
async fn list_workflows_paginator_sees_each_workflow_once() {
    let client = client();
    let base = unique("page");
    let ours: Vec<String> = (0..7).map(|i| format!("{base}-{i:02}")).collect();
    for name in &ours {
        client
            .create_workflow()
            .name(name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateWorkflow {name}: {}", DisplayErrorContext(e)));
    }

    let mut pages = client.list_workflows().max_results(2).into_paginator().send();
    let mut seen = Vec::new();
    let mut page_count = 0;
    while let Some(page) = pages.next().await {
        let page = page.unwrap_or_else(|e| panic!("ListWorkflows page {page_count}: {}", DisplayErrorContext(e)));
        page_count += 1;
        assert!(
            page.workflows().len() <= 2,
            "MaxResults 2 caps a page: {:?}",
            page.workflows()
        );
        seen.extend(page.workflows().iter().cloned());
    }
    assert!(
        page_count >= 4,
        "7 workflows at 2 a page take at least 4 pages, got {page_count}"
    );
    for name in &ours {
        let times = seen.iter().filter(|s| *s == name).count();
        assert_eq!(times, 1, "{name} listed {times} times across the pages");
    }
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "names come in name order, each once: {seen:?}"
    );

    // the paginator's flattened items agree
    let items: Vec<String> = client
        .list_workflows()
        .max_results(3)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap_or_else(|e| panic!("ListWorkflows items: {}", DisplayErrorContext(e)));
    let ours_in_items: Vec<&String> = items.iter().filter(|s| s.starts_with(&base)).collect();
    assert_eq!(ours_in_items, ours.iter().collect::<Vec<_>>(), "items() in name order");

    for name in &ours {
        client
            .delete_workflow()
            .name(name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("DeleteWorkflow {name}: {}", DisplayErrorContext(e)));
    }
}
