//! Fixed-time items: a clip aired at the instants a cron expression names
//! (station ident, a relay of the national news at 06:00), in station time.

use std::collections::BTreeSet;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{ConfigError, Problem};
use crate::source::SourceFile;
use crate::window::Window;

/// `[[fixed]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFixed {
    /// Six or seven fields: sec min hour day-of-month month day-of-week [year].
    pub cron: Spanned<String>,
    /// The clip id to air.
    pub clip: Spanned<String>,
}

/// A validated fixed-time item.
#[derive(Debug, Clone)]
pub struct FixedItem {
    /// The expression as written, for messages.
    pub cron: String,
    /// The parsed expression.
    pub schedule: cron::Schedule,
    /// The clip to air.
    pub clip: String,
    /// Where the clip name is written, for "unknown clip" messages.
    pub clip_at: crate::error::Location,
}

impl FixedItem {
    /// Validates one `[[fixed]]`: the cron must parse, and every time of day
    /// it fires at must lie inside some window.
    pub fn validate(raw: &RawFixed, src: &SourceFile, windows: &[Window]) -> Result<FixedItem, ConfigError> {
        let text = raw.cron.get_ref().trim().to_string();
        let schedule = cron::Schedule::from_str(&text).map_err(|e| {
            src.error_at(
                &raw.cron,
                Problem::BadCron {
                    value: text.clone(),
                    reason: e.to_string(),
                },
            )
        })?;
        if let Some(time) = first_time_outside(&schedule, windows) {
            return Err(src.error_at(
                &raw.cron,
                Problem::FixedOutsideWindows {
                    cron: text,
                    time: time.format("%H:%M:%S").to_string(),
                },
            ));
        }
        Ok(FixedItem {
            cron: text,
            schedule,
            clip: raw.clip.get_ref().trim().to_string(),
            clip_at: crate::error::Location::at(&src.path, &src.text, raw.clip.span().start),
        })
    }
}

/// The first time of day (over a leap year of firings) that no window's
/// hours cover. Cron's fields are independent, so a year of wall-clock
/// firings shows every time of day the expression can produce.
fn first_time_outside(schedule: &cron::Schedule, windows: &[Window]) -> Option<NaiveTime> {
    let start = Utc.from_utc_datetime(
        &NaiveDate::from_ymd_opt(2024, 1, 1)
            .expect("valid date")
            .and_hms_opt(0, 0, 0)
            .expect("valid time"),
    );
    let end = start + chrono::Duration::days(366);
    let mut seen = BTreeSet::new();
    // Bounded: an expression firing every second would otherwise take long;
    // thousands of firings already show its times of day.
    for instant in schedule.after(&start).take(20_000) {
        if instant >= end {
            break;
        }
        let t = instant.time();
        if seen.insert(t) && !windows.iter().any(|w| w.covers_time(t)) {
            return Some(t);
        }
    }
    None
}
