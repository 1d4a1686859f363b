//! The definitions' create, update and delete rules, without a region or a runtime:
//! each plan is applied as a commit would apply it.

use super::clock::Timestamp;
use super::crawler::{CrawlerSpec, CrawlerState, ScheduleState};
use super::error::Error;
use super::job::{JobRunState, JobSpec};
use super::persist::Change;
use super::quotas::Quotas;
use super::region::Definitions;
use super::trigger::{Action, Condition, Predicate, TriggerState, TriggerType};
use super::trigger_ops::{TriggerSpec, TriggerUpdate};
use super::workflow::{Tags, WorkflowSpec};

/// Applies a plan that changes something, as [`super::region::Region::change`] commits it.
fn apply(defs: &mut Definitions, change: Option<Change>) {
    defs.apply(change.expect("the plan changes something"));
}

fn job(script: &str) -> JobSpec {
    let mut spec = JobSpec::default();
    spec.command.script_location = Some(script.into());
    spec
}

fn crawler() -> CrawlerSpec {
    CrawlerSpec {
        role: "r".into(),
        database_name: None,
        schedule: None,
        passthrough: Default::default(),
    }
}

/// Workflow `w` with jobs `a` and `b`.
fn with_jobs() -> Definitions {
    let (quotas, now) = (Quotas::default(), Timestamp::now());
    let mut defs = Definitions::default();
    let made = defs.create_workflow("w", WorkflowSpec::default(), Tags::new(), &quotas, now);
    apply(&mut defs, made.unwrap());
    for name in ["a", "b"] {
        let made = defs.create_job(name, job("s.py"), Tags::new(), &quotas, now);
        apply(&mut defs, made.unwrap());
    }
    defs
}

/// [`with_jobs`], and `start`, the ON_DEMAND trigger of `w` that runs `a`.
fn started(quotas: &Quotas) -> Definitions {
    let mut defs = with_jobs();
    let start = TriggerSpec::starting("w", TriggerType::OnDemand, "a");
    create_trigger(&mut defs, "start", start, quotas).unwrap();
    defs
}

fn create_trigger(defs: &mut Definitions, name: &str, spec: TriggerSpec, quotas: &Quotas) -> Result<(), Error> {
    let made = defs.create_trigger(name, spec, Tags::new(), quotas, format!("id-{name}"))?;
    apply(defs, made);
    Ok(())
}

/// A conditional trigger of `w` that runs `b` when `a` succeeded.
fn after_a() -> TriggerSpec {
    TriggerSpec {
        trigger_type: TriggerType::Conditional,
        predicate: Some(Predicate {
            logical: None,
            conditions: vec![Condition::Job {
                name: "a".into(),
                state: JobRunState::Succeeded,
            }],
        }),
        ..TriggerSpec::starting("w", TriggerType::Conditional, "b")
    }
}

#[test]
fn creating_a_job_again_is_idempotent_only_with_the_same_definition() {
    let (quotas, now) = (Quotas::default(), Timestamp::now());
    let defs = with_jobs();
    assert!(defs
        .create_job("a", job("s.py"), Tags::new(), &quotas, now)
        .unwrap()
        .is_none());
    let other = defs.create_job("a", job("t.py"), Tags::new(), &quotas, now);
    assert!(matches!(other, Err(Error::IdempotentParameterMismatch(_))));
    let full = Quotas {
        jobs: 2,
        ..Quotas::default()
    };
    let refused = defs.create_job("c", job("s.py"), Tags::new(), &full, now);
    assert!(matches!(refused, Err(Error::ResourceNumberLimitExceeded(_))));
}

#[test]
fn updating_a_job_replaces_its_definition_and_deleting_a_missing_one_changes_nothing() {
    let mut defs = with_jobs();
    let created = defs.jobs["a"].created_on;
    let later = Timestamp::now();
    let updated = defs.update_job("a", job("t.py"), later).unwrap();
    apply(&mut defs, updated);
    let a = &defs.jobs["a"];
    assert_eq!(a.spec.command.script_location.as_deref(), Some("t.py"));
    assert_eq!((a.created_on, a.last_modified_on), (created, later));
    assert!(matches!(
        defs.update_job("x", job("s.py"), later),
        Err(Error::NotFound(_))
    ));
    assert!(defs.delete_job("x").is_none());
    let deleted = defs.delete_job("a");
    apply(&mut defs, deleted);
    assert!(!defs.jobs.contains_key("a"));
}

#[test]
fn a_workflow_name_is_taken_once_and_updates_keep_what_is_not_given() {
    let (quotas, now) = (Quotas::default(), Timestamp::now());
    let mut defs = with_jobs();
    let again = defs.create_workflow("w", WorkflowSpec::default(), Tags::new(), &quotas, now);
    assert!(matches!(again, Err(Error::AlreadyExists(_))));
    let described = WorkflowSpec {
        description: Some("d".into()),
        ..WorkflowSpec::default()
    };
    let updated = defs.update_workflow("w", described, now).unwrap();
    apply(&mut defs, updated);
    let capped = WorkflowSpec {
        max_concurrent_runs: Some(2),
        ..WorkflowSpec::default()
    };
    let updated = defs.update_workflow("w", capped, now).unwrap();
    apply(&mut defs, updated);
    let w = &defs.workflows["w"];
    assert_eq!((w.description.as_deref(), w.max_concurrent_runs), (Some("d"), Some(2)));
}

#[test]
fn deleting_a_workflow_deletes_its_triggers_but_not_its_jobs() {
    let quotas = Quotas::default();
    let mut defs = started(&quotas);
    let deleted = defs.delete_workflow("w");
    apply(&mut defs, deleted);
    assert!(defs.workflows.is_empty() && defs.triggers.is_empty());
    assert_eq!(defs.jobs.len(), 2);
    assert!(defs.delete_workflow("w").is_none());
}

#[test]
fn a_workflow_has_one_start_trigger_and_triggers_name_what_exists() {
    let quotas = Quotas::default();
    let mut defs = started(&quotas);
    let second = TriggerSpec::starting("w", TriggerType::Scheduled, "b");
    let second = TriggerSpec {
        schedule: Some("cron(0 12 * * ? *)".into()),
        ..second
    };
    let refused = create_trigger(&mut defs, "second", second, &quotas);
    assert!(matches!(refused, Err(Error::InvalidInput(m)) if m.contains("exactly one")));
    let missing_job = TriggerSpec::starting("w", TriggerType::Conditional, "nope");
    let refused = create_trigger(&mut defs, "t", missing_job, &quotas);
    assert!(matches!(refused, Err(Error::NotFound(m)) if m.contains("nope")));
    create_trigger(&mut defs, "then", after_a(), &quotas).unwrap();
    assert_eq!(defs.triggers["then"].state, TriggerState::Activated);
    let on_demand_started = TriggerSpec {
        start_on_creation: true,
        ..TriggerSpec::starting("w", TriggerType::OnDemand, "a")
    };
    assert!(matches!(
        create_trigger(&mut defs, "x", on_demand_started, &quotas),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn an_update_past_a_workflow_quota_is_invalid_input() {
    let quotas = Quotas {
        nodes_per_workflow: 4,
        ..Quotas::default()
    };
    let mut defs = started(&quotas);
    create_trigger(&mut defs, "then", after_a(), &quotas).unwrap();
    let made = defs.create_crawler("c", crawler(), Tags::new(), &quotas, Timestamp::now());
    apply(&mut defs, made.unwrap());
    // start, a, then, b: four nodes; a crawler run by `then` would be the fifth.
    let more = TriggerUpdate {
        actions: Some(vec![
            Action {
                job_name: Some("b".into()),
                ..Action::default()
            },
            Action {
                crawler_name: Some("c".into()),
                ..Action::default()
            },
        ]),
        ..TriggerUpdate::default()
    };
    let refused = defs.updated_trigger("then", more, &quotas);
    assert!(matches!(refused, Err(Error::InvalidInput(m)) if m.contains("quota")));
}

#[test]
fn stopping_a_trigger_deactivates_it_once_and_never_an_on_demand_one() {
    let quotas = Quotas::default();
    let mut defs = started(&quotas);
    create_trigger(&mut defs, "then", after_a(), &quotas).unwrap();
    assert!(matches!(defs.stop_trigger("start"), Err(Error::InvalidInput(_))));
    let stopped = defs.stop_trigger("then").unwrap();
    apply(&mut defs, stopped);
    assert_eq!(defs.triggers["then"].state, TriggerState::Deactivated);
    assert!(defs.stop_trigger("then").unwrap().is_none());
    assert!(defs.delete_trigger("gone").is_none());
}

#[test]
fn a_running_crawler_is_neither_updated_nor_deleted() {
    let (quotas, now) = (Quotas::default(), Timestamp::now());
    let mut defs = Definitions::default();
    let made = defs.create_crawler("c", crawler(), Tags::new(), &quotas, now);
    apply(&mut defs, made.unwrap());
    assert!(matches!(
        defs.create_crawler("c", crawler(), Tags::new(), &quotas, now),
        Err(Error::AlreadyExists(_))
    ));
    let updated = defs.update_crawler("c", |s| s.role = "r2".into(), now).unwrap();
    apply(&mut defs, updated);
    assert_eq!(
        (defs.crawlers["c"].spec.role.as_str(), defs.crawlers["c"].version),
        ("r2", 2)
    );
    defs.crawlers.get_mut("c").unwrap().state = CrawlerState::Running;
    assert!(matches!(
        defs.update_crawler("c", |_| {}, now),
        Err(Error::CrawlerRunning(_))
    ));
    assert!(matches!(defs.delete_crawler("c"), Err(Error::CrawlerRunning(_))));
    assert!(matches!(defs.delete_crawler("x"), Err(Error::NotFound(_))));
}

fn scheduled(expression: &str) -> CrawlerSpec {
    CrawlerSpec {
        schedule: Some(expression.into()),
        ..crawler()
    }
}

#[test]
fn a_crawler_schedule_stops_and_starts_once_and_only_when_there_is_one() {
    let (quotas, now) = (Quotas::default(), Timestamp::now());
    let mut defs = Definitions::default();
    for (name, spec) in [("s", scheduled("cron(0 3 * * ? *)")), ("n", crawler())] {
        let made = defs.create_crawler(name, spec, Tags::new(), &quotas, now);
        apply(&mut defs, made.unwrap());
    }
    let state = |defs: &Definitions| defs.crawlers["s"].schedule_state;
    assert_eq!(state(&defs), ScheduleState::Scheduled);
    assert!(matches!(
        defs.set_schedule_state("s", ScheduleState::Scheduled),
        Err(Error::SchedulerRunning(_))
    ));
    assert!(matches!(
        defs.set_schedule_state("n", ScheduleState::Scheduled),
        Err(Error::NoSchedule(_))
    ));
    assert!(matches!(
        defs.set_schedule_state("n", ScheduleState::NotScheduled),
        Err(Error::SchedulerNotRunning(_))
    ));
    assert!(matches!(
        defs.set_schedule_state("x", ScheduleState::Scheduled),
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        defs.set_schedule_state("x", ScheduleState::NotScheduled),
        Err(Error::NotFound(_))
    ));

    // A crawl in progress neither refuses nor is stopped by either.
    defs.crawlers.get_mut("s").unwrap().state = CrawlerState::Running;
    let stopped = defs.set_schedule_state("s", ScheduleState::NotScheduled).unwrap();
    apply(&mut defs, stopped);
    assert_eq!(state(&defs), ScheduleState::NotScheduled);
    assert_eq!(defs.crawlers["s"].state, CrawlerState::Running);
    assert_eq!(defs.crawlers["s"].active_schedule(), None);
    assert!(matches!(
        defs.set_schedule_state("s", ScheduleState::NotScheduled),
        Err(Error::SchedulerNotRunning(_))
    ));
    defs.crawlers.get_mut("s").unwrap().state = CrawlerState::Ready;

    let changed = defs.update_crawler("s", |s| s.schedule = Some("cron(0 4 * * ? *)".into()), now);
    apply(&mut defs, changed.unwrap());
    assert_eq!(
        state(&defs),
        ScheduleState::NotScheduled,
        "a changed schedule keeps its state"
    );
    let started = defs.set_schedule_state("s", ScheduleState::Scheduled).unwrap();
    apply(&mut defs, started);
    assert_eq!(defs.crawlers["s"].active_schedule(), Some("cron(0 4 * * ? *)"));
    assert_eq!(defs.crawlers["s"].version, 2, "only the update counts as a new version");
}

#[test]
fn a_crawler_given_a_schedule_it_did_not_have_is_scheduled() {
    let (quotas, now) = (Quotas::default(), Timestamp::now());
    let mut defs = Definitions::default();
    let made = defs.create_crawler("s", scheduled("cron(0 3 * * ? *)"), Tags::new(), &quotas, now);
    apply(&mut defs, made.unwrap());
    let stopped = defs.set_schedule_state("s", ScheduleState::NotScheduled).unwrap();
    apply(&mut defs, stopped);
    let removed = defs.update_crawler("s", |s| s.schedule = None, now).unwrap();
    apply(&mut defs, removed);
    let given = defs.update_crawler("s", |s| s.schedule = Some("cron(0 5 * * ? *)".into()), now);
    apply(&mut defs, given.unwrap());
    assert_eq!(defs.crawlers["s"].schedule_state, ScheduleState::Scheduled);
    assert!(matches!(
        defs.update_crawler("s", |s| s.schedule = Some("every day".into()), now),
        Err(Error::InvalidInput(_))
    ));
}
