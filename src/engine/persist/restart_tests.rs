//! Durable state across restarts: what an engine opened on a state folder finds
//! there after another one wrote it.

use crate::engine::graph::Graph;
use crate::engine::job::JobSpec;
use crate::engine::journal;
use crate::engine::region::Region;
use crate::engine::settings::Settings;
use crate::engine::workflow::WorkflowSpec;
use crate::engine::Engine;
use std::path::PathBuf;
use std::sync::Arc;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("glue-local-persist-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn the_catalog_comes_back_from_the_journal_and_from_a_snapshot() {
    use crate::engine::catalog::UpdateOptions;
    let dir = temp("catalog");
    let engine = Engine::open(Default::default(), &dir).unwrap();
    let region = engine.region("1", "r");
    region
        .create_database("db", Default::default(), Default::default())
        .unwrap();
    region
        .create_database("gone", Default::default(), Default::default())
        .unwrap();
    region.create_table("db", "t", Default::default()).unwrap();
    region.create_table("db", "dropped", Default::default()).unwrap();
    for _ in 0..2 {
        region
            .update_table("db", "t", Default::default(), UpdateOptions::default())
            .unwrap();
    }
    region.delete_table_versions("db", "t", &[2]).unwrap();
    region.delete_table("db", "dropped").unwrap();
    region.delete_database("gone").unwrap();
    let state = |region: &Region| format!("{:?}", region.catalog().databases);
    let was = state(&region);
    drop((engine, region));
    // Opening replays the journal, then writes a snapshot that the next opening reads.
    for _ in 0..2 {
        let engine = Engine::open(Default::default(), &dir).unwrap();
        let region = engine.region("1", "r");
        assert_eq!(state(&region), was);
        let versions: Vec<u64> = region
            .table_versions("db", "t")
            .unwrap()
            .iter()
            .map(|t| t.version_id)
            .collect();
        assert_eq!(versions, [3, 1]);
    }
}

#[test]
fn one_process_per_folder() {
    let dir = temp("lock");
    let first = Engine::open(Default::default(), &dir).unwrap();
    let second = Engine::open(Default::default(), &dir).err().unwrap();
    assert!(second.contains("in use by another glue-local"), "{second}");
    assert!(second.contains(&dir.display().to_string()), "{second}");
    drop(first);
    Engine::open(Default::default(), &dir).unwrap();
}

#[test]
fn what_a_reset_region_still_does_is_not_journaled() {
    let dir = temp("reset");
    let engine = Engine::open(Default::default(), &dir).unwrap();
    let before = engine.region("1", "r");
    before.create_job("J", JobSpec::default(), Default::default()).unwrap();
    engine.reset().unwrap();
    // A change still in flight on the region that the reset removed.
    before
        .create_job("late", JobSpec::default(), Default::default())
        .unwrap();
    engine
        .region("1", "r")
        .create_job("after", JobSpec::default(), Default::default())
        .unwrap();
    drop((engine, before));
    let engine = Engine::open(Default::default(), &dir).unwrap();
    let jobs = engine.region("1", "r").job_names(&Default::default());
    assert_eq!(jobs, ["after"]);
}

#[tokio::test]
async fn bookmarks_come_back_after_a_restart_until_reset_or_their_job_is_deleted() {
    let dir = temp("bookmarks");
    let settings = || Settings {
        job_duration: std::time::Duration::from_secs(3600),
        ..Settings::default()
    };
    let spec = JobSpec {
        role: "r".into(),
        max_concurrent_runs: 5,
        default_arguments: [("--job-bookmark-option".to_string(), "job-bookmark-enable".to_string())].into(),
        ..JobSpec::default()
    };
    let engine = Engine::open(settings(), &dir).unwrap();
    let region = engine.region("1", "r");
    let mut committed = Vec::new();
    for job in ["J", "K", "L"] {
        region.create_job(job, spec.clone(), Default::default()).unwrap();
        for n in 0..2 {
            let run = region.start_job_run(job, Default::default()).unwrap();
            let state = format!("{{\"{job}\":{n}}}");
            committed.push(region.commit_job_run_bookmark(&run, state).unwrap().unwrap());
        }
    }
    region.reset_job_bookmark("K", Some(&committed[2].run_id)).unwrap();
    region.delete_job("L").unwrap();
    region.exec.stop_everything();
    // The runs' tasks hold the region (and so the state dir's lock) until they end.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while Arc::strong_count(&region) > 2 {
        assert!(std::time::Instant::now() < deadline, "the runs did not stop");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    drop((engine, region));
    let engine = Engine::open(settings(), &dir).unwrap();
    let region = engine.region("1", "r");
    assert_eq!(region.get_job_bookmark("J", None).unwrap(), committed[1]);
    assert_eq!(
        region.get_job_bookmark("J", Some(&committed[0].run_id)).unwrap(),
        committed[0]
    );
    assert_eq!(region.get_job_bookmark("K", None).unwrap(), committed[2]);
    region.create_job("L", spec, Default::default()).unwrap();
    assert!(region.get_job_bookmark("L", None).is_err());
    region.reset_job_bookmark("J", None).unwrap();
    drop((engine, region));
    let engine = Engine::open(settings(), &dir).unwrap();
    let region = engine.region("1", "r");
    assert!(region.get_job_bookmark("J", None).is_err());
    assert_eq!(region.get_job_bookmark("K", None).unwrap(), committed[2]);
}

#[tokio::test]
async fn runs_of_one_graph_share_it_again_after_a_restart() {
    use crate::engine::trigger::TriggerType;
    use crate::engine::TriggerSpec;
    let dir = temp("graphs");
    let engine = Engine::open(Default::default(), &dir).unwrap();
    let region = engine.region("1", "r");
    region.create_job("J", JobSpec::default(), Default::default()).unwrap();
    region
        .create_workflow("W", WorkflowSpec::default(), Default::default())
        .unwrap();
    let trigger = TriggerSpec::starting("W", TriggerType::OnDemand, "J");
    region.create_trigger("T", trigger, Default::default()).unwrap();
    let ids = [
        region.start_workflow_run("W", None).unwrap(),
        region.start_workflow_run("W", None).unwrap(),
    ];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while ids
        .iter()
        .any(|id| region.workflow_run("W", id).unwrap().lock().status.is_active())
    {
        assert!(std::time::Instant::now() < deadline, "runs did not complete");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    drop((engine, region));
    let engine = Engine::open(Default::default(), &dir).unwrap();
    let region = engine.region("1", "r");
    let graphs: Vec<Arc<Graph>> = ids
        .iter()
        .map(|id| region.workflow_run("W", id).unwrap().lock().graph.clone())
        .collect();
    assert!(Arc::ptr_eq(&graphs[0], &graphs[1]));
    region.exec.stop_everything();
}

#[tokio::test]
async fn runs_of_one_graph_journal_it_once_and_little_else() {
    use crate::engine::graph::tests::trigger;
    use crate::engine::TriggerSpec;
    let dir = temp("compact");
    let engine = Engine::open(Default::default(), &dir).unwrap();
    let region = engine.region("1", "r");
    for job in ["J1", "J2", "J3", "J4", "J5"] {
        let spec = JobSpec {
            role: "r".into(),
            max_concurrent_runs: 100,
            ..JobSpec::default()
        };
        region.create_job(job, spec, Default::default()).unwrap();
    }
    region
        .create_workflow("W", WorkflowSpec::default(), Default::default())
        .unwrap();
    // The AWS guide's W1.
    for t in [
        trigger("T1", &[], None, &["J1"]),
        trigger("T2", &["J1"], None, &["J2"]),
        trigger("T3", &["J1"], None, &["J3"]),
        trigger("T4", &["J2"], None, &["J4"]),
        trigger("T5", &["J3"], None, &["J5"]),
    ] {
        let spec = TriggerSpec {
            workflow_name: t.workflow_name,
            trigger_type: t.trigger_type,
            schedule: None,
            start_on_creation: t.predicate.is_some(),
            predicate: t.predicate,
            actions: t.actions,
            description: None,
            event_batching: None,
        };
        region.create_trigger(&t.name, spec, Default::default()).unwrap();
    }
    let journal = dir.join("journal");
    let size = || std::fs::metadata(&journal).unwrap().len();
    let runs = &region;
    let run_to_completion = |count: usize| {
        let region = runs;
        let ids: Vec<String> = (0..count)
            .map(|_| region.start_workflow_run("W", None).unwrap())
            .collect();
        async move {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            for id in &ids {
                while region.workflow_run("W", id).unwrap().lock().status.is_active() {
                    assert!(std::time::Instant::now() < deadline, "runs did not complete");
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
                let r = region.workflow_run("W", id).unwrap();
                let r = r.lock();
                assert_eq!(
                    r.statistics().succeeded,
                    5,
                    "{:?} {:?} {:?}",
                    r.statistics(),
                    r.status,
                    r.error_message
                );
            }
            ids
        }
    };
    let before = size();
    let mut ids = run_to_completion(1).await;
    let first = size() - before;
    ids.extend(run_to_completion(20).await);
    let each = (size() - before - first) / 20;
    assert!(each < 10_000, "{each} bytes per W1 run");
    let mut graphs = 0;
    journal::read_each(&journal, |r| {
        graphs += usize::from(serde_json::from_slice::<serde_json::Value>(r).unwrap()["kind"] == "Graph");
        Ok(())
    })
    .unwrap();
    assert_eq!(graphs, 1);
    let states = |region: &Region| -> Vec<String> {
        ids.iter()
            .map(|id| {
                let run = region.workflow_run("W", id).unwrap();
                let run = run.lock();
                let state = (&run.properties, &*run.graph, &run.nodes, run.completed_on);
                format!("{:?} {}", run.status, serde_json::to_string(&state).unwrap())
            })
            .collect()
    };
    let was = states(&region);
    drop((engine, region));
    let engine = Engine::open(Default::default(), &dir).unwrap();
    let region = engine.region("1", "r");
    assert_eq!(states(&region), was);
    let first = region.workflow_run("W", &ids[0]).unwrap().lock().graph.clone();
    let last = region.workflow_run("W", &ids[20]).unwrap().lock().graph.clone();
    assert!(Arc::ptr_eq(&first, &last));
    region.exec.stop_everything();
}
