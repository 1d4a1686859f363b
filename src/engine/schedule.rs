//! Glue schedules: `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, in UTC.

use chrono::{DateTime, Utc};
use std::str::FromStr;

pub struct Schedule(cron::Schedule);

impl Schedule {
    pub fn parse(expression: &str) -> Result<Schedule, String> {
        let inner = expression
            .trim()
            .strip_prefix("cron(")
            .and_then(|s| s.strip_suffix(')'))
            .ok_or_else(|| format!("Schedule {expression:?} is not of the form cron(Minutes Hours Day-of-month Month Day-of-week Year)"))?;
        let fields: Vec<&str> = inner.split_whitespace().collect();
        if fields.len() != 6 {
            return Err(format!(
                "Schedule {expression:?} must have 6 fields, found {}",
                fields.len()
            ));
        }
        // The cron crate wants seconds first and numbers days of the week 1-7 from Sunday, as AWS does.
        let with_seconds = format!("0 {}", fields.join(" "));
        cron::Schedule::from_str(&with_seconds)
            .map(Schedule)
            .map_err(|e| format!("Schedule {expression:?} is not a valid cron expression: {e}"))
    }

    /// The first time the schedule is due strictly after `after`.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.0.after(&after).next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_aws_forms() {
        assert!(Schedule::parse("cron(15 12 * * ? *)").is_ok());
        assert!(Schedule::parse("cron(0/5 * * * ? *)").is_ok());
        assert!(Schedule::parse("cron(0 10 ? * MON-FRI *)").is_ok());
        assert!(Schedule::parse("rate(5 minutes)").is_err());
        assert!(Schedule::parse("cron(1 2 3)").is_err());
        assert!(Schedule::parse("cron(99 * * * ? *)").is_err());
    }

    #[test]
    fn next_time() {
        let s = Schedule::parse("cron(0/5 * * * ? *)").unwrap();
        let t = DateTime::parse_from_rfc3339("2026-11-25T10:01:30Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(s.next_after(t).unwrap().to_rfc3339(), "2026-11-25T10:05:00+00:00");
    }
}
