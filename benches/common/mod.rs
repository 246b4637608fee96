//! What several benchmarks share: a station's log of airings over a range
//! of days, as the daemon would have written it.

#![allow(dead_code)] // each bench binary uses part of it

use chrono::{NaiveDate, TimeZone, Utc};
use loa::airing_log::{Event, Kind, NewRecord};
use loa::planner::Outcome;

/// Start and end records for `directives` directives, each aired at 05:mm
/// and 17:mm every day of `from..=to` (Ho Chi Minh time), clip `clip(i)`,
/// 60 s each. Every `missed_every`-th airing is missed instead (0: none).
pub fn airings(
    directives: usize,
    from: NaiveDate,
    to: NaiveDate,
    clip: impl Fn(usize) -> String,
    missed_every: u64,
) -> Vec<NewRecord> {
    let tz = chrono_tz::Asia::Ho_Chi_Minh;
    let mut recs = Vec::new();
    let mut day = from;
    let mut n = 0u64;
    while day <= to {
        for i in 0..directives {
            for (k, hour) in [5u32, 17].iter().enumerate() {
                n += 1;
                let planned = tz
                    .from_local_datetime(&day.and_hms_opt(*hour, (i % 60) as u32, k as u32).unwrap())
                    .unwrap()
                    .with_timezone(&Utc);
                let missed = missed_every > 0 && n.is_multiple_of(missed_every);
                let base = NewRecord {
                    airing_id: format!("{}/{}", planned.to_rfc3339(), clip(i)),
                    event: Event::Start,
                    recorded_at: planned,
                    planned,
                    actual_start: Some(planned),
                    actual_end: None,
                    played_ms: None,
                    outcome: None,
                    reason: None,
                    clip: clip(i),
                    clip_sha256: "ab".repeat(32),
                    directive: Some(format!("{i}/KH")),
                    kind: Kind::Quota,
                    station: "Bench".into(),
                    host: "pc".into(),
                };
                if !missed {
                    recs.push(base.clone());
                }
                recs.push(NewRecord {
                    event: Event::End,
                    actual_end: Some(planned + chrono::Duration::seconds(60)),
                    played_ms: (!missed).then_some(60_000),
                    outcome: Some(if missed {
                        Outcome::Missed
                    } else {
                        Outcome::Completed
                    }),
                    reason: missed.then(|| "PC off".to_string()),
                    ..base
                });
            }
        }
        day = day.succ_opt().unwrap();
    }
    recs
}
