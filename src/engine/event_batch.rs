//! An EVENT trigger's batch: the events received since its workflow last started, and
//! which of the trigger's `EventBatchingCondition`s starts the next run — `BatchSize`
//! events (default 1) or `BatchWindow` seconds (default 900) after the batch's first
//! event, whichever comes first. Taking the batch to start a run resets both. No
//! de-duplication: the same event id twice counts twice, as in AWS. Pure: time is
//! passed in (milliseconds on any clock that does not go back).

use std::time::Duration;

/// BatchSize when the trigger names none (AWS's default).
pub const DEFAULT_BATCH_SIZE: i32 = 1;
/// BatchWindow when the trigger names none (AWS's default and maximum), in seconds.
pub const DEFAULT_BATCH_WINDOW: i32 = 900;

/// The batch condition that started a workflow run (`StartingEventBatchCondition`):
/// `BatchSize` events arrived, or the `BatchWindow` (seconds) expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BatchCondition {
    Size(i32),
    Window(i32),
}

/// A trigger's batching condition, with its window in real time (`--time-scale`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchRule {
    pub size: i32,
    pub window_seconds: i32,
    pub window: Duration,
}

impl BatchRule {
    /// The rule of a trigger's `EventBatchingCondition` (size, window), Glue time ÷ `time_scale`.
    pub fn of(event_batching: Option<(i32, Option<i32>)>, time_scale: f64) -> BatchRule {
        let (size, window) = event_batching.unwrap_or((DEFAULT_BATCH_SIZE, None));
        let window_seconds = window.unwrap_or(DEFAULT_BATCH_WINDOW).max(1);
        BatchRule {
            size: size.max(1),
            window_seconds,
            window: Duration::from_secs_f64(f64::from(window_seconds) / time_scale.max(1e-9)),
        }
    }
}

/// What a run started by a batch gets: the condition met and the batch's event ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    pub condition: BatchCondition,
    pub event_ids: Vec<String>,
}

/// What adding an event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// The batch is full: start a run with it (the batch is empty again).
    Start(Started),
    /// The first event of a new batch: its window ends `after` from now; a timer should
    /// then call [`Batch::expire`] with `generation`.
    Opened { after: Duration, generation: u64 },
    /// Added to a batch that waits for more events or its window; `pending` events in it.
    Waiting { pending: usize },
}

/// The events an EVENT trigger holds.
#[derive(Debug, Default)]
pub struct Batch {
    events: Vec<String>,
    /// When the first event of the batch came (ms).
    opened_at: Option<u64>,
    /// Bumped each time a batch is taken, so that a timer set for an earlier batch does nothing.
    generation: u64,
}

impl Batch {
    pub fn pending(&self) -> usize {
        self.events.len()
    }

    /// Adds an event received at `now` (ms).
    pub fn add(&mut self, event_id: String, now: u64, rule: &BatchRule) -> Added {
        self.events.push(event_id);
        if self.events.len() >= rule.size as usize {
            return Added::Start(self.take(BatchCondition::Size(rule.size)));
        }
        if self.opened_at.is_none() {
            self.opened_at = Some(now);
            return Added::Opened {
                after: rule.window,
                generation: self.generation,
            };
        }
        Added::Waiting {
            pending: self.events.len(),
        }
    }

    /// A timer set for batch `generation` went off at `now`: the batch, if its window has
    /// passed; else how long until it does (the trigger's window may have changed).
    pub fn expire(&mut self, generation: u64, now: u64, rule: &BatchRule) -> Result<Started, Option<Duration>> {
        let Some(opened) = self.opened_at.filter(|_| generation == self.generation) else {
            return Err(None);
        };
        let due = opened.saturating_add(rule.window.as_millis() as u64);
        if now < due {
            return Err(Some(Duration::from_millis(due - now)));
        }
        Ok(self.take(BatchCondition::Window(rule.window_seconds)))
    }

    /// Empties the batch: its events start a run, and both conditions start over.
    fn take(&mut self, condition: BatchCondition) -> Started {
        self.opened_at = None;
        self.generation += 1;
        Started {
            condition,
            event_ids: std::mem::take(&mut self.events),
        }
    }
}

/// The `aws:eventIds` run property: the batch's event ids as a bracketed list
/// (`[id]`; scripts written for AWS strip the brackets with `[1:-1]`).
pub fn event_ids_property(ids: &[String]) -> String {
    format!("[{}]", ids.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(size: i32, window: Option<i32>) -> BatchRule {
        BatchRule::of(Some((size, window)), 1.0)
    }

    fn ids(batch: &Started) -> Vec<&str> {
        batch.event_ids.iter().map(String::as_str).collect()
    }

    #[test]
    fn defaults_are_one_event_and_900_seconds() {
        let r = BatchRule::of(None, 1.0);
        assert_eq!((r.size, r.window_seconds, r.window), (1, 900, Duration::from_secs(900)));
        let r = BatchRule::of(Some((5, None)), 1.0);
        assert_eq!((r.size, r.window_seconds), (5, 900));
        let mut b = Batch::default();
        let Added::Start(s) = b.add("e1".into(), 0, &BatchRule::of(None, 1.0)) else {
            panic!("one event starts a run by default");
        };
        assert_eq!(s.condition, BatchCondition::Size(1));
        assert_eq!(ids(&s), ["e1"]);
    }

    #[test]
    fn the_window_honours_the_time_scale() {
        assert_eq!(
            BatchRule::of(Some((2, Some(60))), 1000.0).window,
            Duration::from_millis(60)
        );
    }

    #[test]
    fn size_reached_starts_and_resets() {
        let r = rule(3, Some(60));
        let mut b = Batch::default();
        assert_eq!(
            b.add("a".into(), 0, &r),
            Added::Opened {
                after: Duration::from_secs(60),
                generation: 0
            }
        );
        assert_eq!(b.add("b".into(), 10, &r), Added::Waiting { pending: 2 });
        let Added::Start(s) = b.add("c".into(), 20, &r) else {
            panic!("the third event fills the batch")
        };
        assert_eq!((s.condition, ids(&s)), (BatchCondition::Size(3), vec!["a", "b", "c"]));
        assert_eq!(b.pending(), 0);
        // The window of the batch that started is void; the next event opens a new one.
        assert_eq!(b.expire(0, 60_000, &r), Err(None));
        assert!(matches!(b.add("d".into(), 30, &r), Added::Opened { generation: 1, .. }));
    }

    #[test]
    fn window_reached_starts_with_what_came() {
        let r = rule(10, Some(5));
        let mut b = Batch::default();
        b.add("a".into(), 1_000, &r);
        b.add("b".into(), 3_000, &r);
        // counted from the first event, not the last
        assert_eq!(b.expire(0, 5_999, &r), Err(Some(Duration::from_millis(1))));
        let s = b.expire(0, 6_000, &r).unwrap();
        assert_eq!((s.condition, ids(&s)), (BatchCondition::Window(5), vec!["a", "b"]));
        assert_eq!(b.expire(0, 7_000, &r), Err(None), "a timer goes off once");
    }

    #[test]
    fn whichever_condition_comes_first_wins() {
        let r = rule(2, Some(5));
        let mut b = Batch::default();
        b.add("a".into(), 0, &r);
        assert!(matches!(b.add("b".into(), 100, &r), Added::Start(_)));
        // the window timer of that batch then finds nothing to do
        assert_eq!(b.expire(0, 5_000, &r), Err(None));
        b.add("c".into(), 200, &r);
        let s = b.expire(1, 5_200, &r).unwrap();
        assert_eq!((s.condition, ids(&s)), (BatchCondition::Window(5), vec!["c"]));
    }

    #[test]
    fn duplicates_count_twice() {
        let r = rule(2, None);
        let mut b = Batch::default();
        b.add("same".into(), 0, &r);
        let Added::Start(s) = b.add("same".into(), 1, &r) else {
            panic!("no de-duplication")
        };
        assert_eq!(ids(&s), ["same", "same"]);
    }

    #[test]
    fn a_longer_window_set_meanwhile_waits_for_the_rest() {
        let mut b = Batch::default();
        b.add("a".into(), 0, &rule(5, Some(1)));
        assert_eq!(
            b.expire(0, 1_000, &rule(5, Some(3))),
            Err(Some(Duration::from_millis(2_000)))
        );
        assert!(b.expire(0, 3_000, &rule(5, Some(3))).is_ok());
    }

    #[test]
    fn event_ids_are_a_bracketed_list() {
        assert_eq!(event_ids_property(&["a".into()]), "[a]");
        assert_eq!(event_ids_property(&["a".into(), "b".into()]), "[a, b]");
    }
}
