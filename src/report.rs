//! Compliance reports: what each directive asked for, period by period,
//! against what the airing log proves was aired. Pure: the caller reads the
//! log and the files and passes them in; rendering to table, CSV and JSON is
//! in `report_format`.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::airing_log::{Event, Kind, Record};
use crate::catalog::Catalog;
use crate::directive::Directive;
use crate::planner::Outcome;
use crate::quota::{Quota, QuotaWhat};
use crate::station::Station;

/// Everything a report is made from.
#[derive(Debug, Clone)]
pub struct ReportRequest<'a> {
    /// The station (windows name the sessions; the time zone dates the airings).
    pub station: &'a Station,
    /// The directives to report on.
    pub directives: &'a [Directive],
    /// The clips, for content quotas (first-seen dates).
    pub catalog: &'a Catalog,
    /// Log records covering [`report_span`] of the range.
    pub records: &'a [Record],
    /// First day reported.
    pub from: NaiveDate,
    /// Last day reported, included.
    pub to: NaiveDate,
    /// Today: periods that end today or later are still open.
    pub today: NaiveDate,
    /// The log's head (last seq and hash) when the report was made.
    pub head: Option<(i64, String)>,
}

/// The log's head, so anyone can check the report against the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogHead {
    /// The last record's number.
    pub seq: i64,
    /// The last record's hash.
    pub hash: String,
}

/// A whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Station name.
    pub station: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The log's head at the time of the report.
    pub log_head: Option<LogHead>,
    /// One section per directive.
    pub directives: Vec<DirectiveReport>,
}

/// One directive's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirectiveReport {
    /// Number and sign.
    pub number: String,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Date of issue.
    pub issued: Option<NaiveDate>,
    /// Subject line.
    pub subject: Option<String>,
    /// Airings the quotas asked for over the reported periods.
    pub required: u32,
    /// Airings that count toward them (at most the quota, per period).
    pub credited: u32,
    /// Airings aired in full, all told.
    pub aired: u32,
    /// `credited / required`, in percent (100 when nothing was required).
    pub percent: f64,
    /// Airing quota periods.
    pub periods: Vec<PeriodRow>,
    /// Content quota periods ("02 tin, bài/tuần").
    pub content: Vec<ContentRow>,
    /// Every airing attempt of the directive in the range.
    pub airings: Vec<AiringRow>,
}

/// One period of an airing quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodRow {
    /// day, week, month.
    pub per: &'static str,
    /// First day of the period.
    pub start: NaiveDate,
    /// Last day of the period.
    pub end: NaiveDate,
    /// What the quota asks.
    pub required: u32,
    /// Aired in full.
    pub aired: u32,
    /// Of those, make-ups.
    pub make_ups: u32,
    /// Missed (the PC was off, the station busy).
    pub missed: u32,
    /// Failed to play (no device, a broken file).
    pub failed: u32,
    /// Started and cut off.
    pub interrupted: u32,
    /// Whether `aired >= required`.
    pub met: bool,
    /// The period is not over yet.
    pub open: bool,
    /// The distinct reasons of what did not air in full.
    pub reasons: Vec<String>,
}

/// One period of a content quota: new clips added for the directive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContentRow {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// New items asked for.
    pub required: u32,
    /// Clips of the directive first seen in the period.
    pub added: u32,
    /// Whether `added >= required`.
    pub met: bool,
    /// The period is not over yet.
    pub open: bool,
}

/// One airing attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AiringRow {
    /// Station-local date.
    pub date: NaiveDate,
    /// The session (window) it fell in; "-" outside every window.
    pub session: String,
    /// Planned start, station time.
    pub planned: DateTime<Tz>,
    /// Actual start, when it started.
    pub started: Option<DateTime<Tz>>,
    /// Actual end.
    pub ended: Option<DateTime<Tz>>,
    /// The clip.
    pub clip: String,
    /// quota, fixed, make-up, manual, emergency.
    pub kind: &'static str,
    /// completed, interrupted, failed, missed; "in-progress" with no end yet.
    pub outcome: &'static str,
    /// Why it did not air in full.
    pub reason: Option<String>,
}

/// The days whose records a report over `from..=to` needs: whole quota
/// periods reach outside the range.
pub fn report_span(directives: &[Directive], from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let (mut lo, mut hi) = (from, to);
    for q in directives.iter().flat_map(|d| d.quotas.iter()) {
        lo = lo.min(q.per.start_of(from));
        hi = hi.max(q.per.end_of(to));
    }
    (lo, hi)
}

/// The instant a station-local day starts.
pub fn day_start(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    crate::planner::local_instant(tz, day, NaiveTime::MIN).with_timezone(&Utc)
}

struct Attempt<'r> {
    start: Option<&'r Record>,
    end: Option<&'r Record>,
}

impl Attempt<'_> {
    fn any(&self) -> &Record {
        self.end.or(self.start).expect("an attempt has a record")
    }

    fn outcome(&self) -> Option<Outcome> {
        self.end.and_then(|e| e.outcome)
    }
}

fn outcome_name(o: Option<Outcome>) -> &'static str {
    match o {
        Some(o) => crate::airing_log::outcome_as_str(o),
        None => "in-progress",
    }
}

/// Builds the report.
pub fn build(req: ReportRequest<'_>) -> Report {
    let tz = req.station.timezone;
    // Pair start and end records by airing id, keeping log order.
    let mut attempts: Vec<Attempt<'_>> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for r in req.records {
        let i = *index.entry(r.airing_id.as_str()).or_insert_with(|| {
            attempts.push(Attempt {
                start: None,
                end: None,
            });
            attempts.len() - 1
        });
        match r.event {
            Event::Start => attempts[i].start = Some(r),
            Event::End => attempts[i].end = Some(r),
        }
    }
    let local_date = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();

    let directives = req
        .directives
        .iter()
        .map(|d| {
            let mine: Vec<&Attempt<'_>> = attempts
                .iter()
                .filter(|a| a.any().directive.as_deref() == Some(d.number.as_str()))
                .collect();
            let mut periods = Vec::new();
            let mut content = Vec::new();
            for q in &d.quotas {
                for (start, end) in periods_of(q, req.from, req.to) {
                    let open = end >= req.today;
                    match q.what {
                        QuotaWhat::Airings => {
                            let inside: Vec<&&Attempt<'_>> = mine
                                .iter()
                                .filter(|a| {
                                    let day = local_date(a.any().planned);
                                    start <= day && day <= end
                                })
                                .collect();
                            let count =
                                |o: Outcome| inside.iter().filter(|a| a.outcome() == Some(o)).count() as u32;
                            let aired = count(Outcome::Completed);
                            let make_ups = inside
                                .iter()
                                .filter(|a| {
                                    a.outcome() == Some(Outcome::Completed) && a.any().kind == Kind::MakeUp
                                })
                                .count() as u32;
                            let mut reasons: Vec<String> = inside
                                .iter()
                                .filter(|a| a.outcome().is_some_and(|o| o != Outcome::Completed))
                                .filter_map(|a| a.end.and_then(|e| e.reason.clone()))
                                .collect();
                            reasons.sort();
                            reasons.dedup();
                            periods.push(PeriodRow {
                                per: q.per.as_str(),
                                start,
                                end,
                                required: q.at_least,
                                aired,
                                make_ups,
                                missed: count(Outcome::Missed),
                                failed: count(Outcome::Failed),
                                interrupted: count(Outcome::Interrupted),
                                met: aired >= q.at_least,
                                open,
                                reasons,
                            });
                        }
                        QuotaWhat::NewItems => {
                            let added = req
                                .catalog
                                .clips
                                .values()
                                .filter(|c| d.uses_clip(&c.id))
                                .filter_map(|c| DateTime::parse_from_rfc3339(&c.first_seen).ok())
                                .map(|t| t.with_timezone(&tz).date_naive())
                                .filter(|day| start <= *day && *day <= end)
                                .count() as u32;
                            content.push(ContentRow {
                                start,
                                end,
                                required: q.at_least,
                                added,
                                met: added >= q.at_least,
                                open,
                            });
                        }
                    }
                }
            }
            periods.sort_by_key(|p| (p.start, p.end));
            let required: u32 = periods.iter().map(|p| p.required).sum();
            let credited: u32 = periods.iter().map(|p| p.aired.min(p.required)).sum();
            let airings: Vec<AiringRow> = mine
                .iter()
                .filter(|a| {
                    let day = local_date(a.any().planned);
                    req.from <= day && day <= req.to
                })
                .map(|a| airing_row(a, req.station))
                .collect();
            let aired = airings.iter().filter(|a| a.outcome == "completed").count() as u32;
            DirectiveReport {
                number: d.number.clone(),
                issuer: d.issuer.clone(),
                issued: d.issued,
                subject: d.subject.clone(),
                required,
                credited,
                aired,
                percent: if required == 0 {
                    100.0
                } else {
                    (f64::from(credited) * 1000.0 / f64::from(required)).round() / 10.0
                },
                periods,
                content,
                airings,
            }
        })
        .collect();
    Report {
        station: req.station.name.clone(),
        from: req.from,
        to: req.to,
        log_head: req.head.clone().map(|(seq, hash)| LogHead { seq, hash }),
        directives,
    }
}

fn airing_row(a: &Attempt<'_>, station: &Station) -> AiringRow {
    let tz = station.timezone;
    let r = a.any();
    let planned = r.planned.with_timezone(&tz);
    let session = station
        .windows
        .iter()
        .find(|w| w.is_open_on(planned.date_naive()) && w.covers_time(planned.time()))
        .map_or_else(|| "-".to_string(), |w| w.name.clone());
    let started = a
        .end
        .and_then(|e| e.actual_start)
        .or(a.start.and_then(|s| s.actual_start));
    AiringRow {
        date: planned.date_naive(),
        session,
        planned,
        started: started.map(|t| t.with_timezone(&tz)),
        ended: a.end.and_then(|e| e.actual_end).map(|t| t.with_timezone(&tz)),
        clip: r.clip.clone(),
        kind: r.kind.as_str(),
        outcome: outcome_name(a.outcome()),
        reason: a.end.and_then(|e| e.reason.clone()),
    }
}

/// The quota's periods that overlap `from..=to` and its own dates.
fn periods_of(q: &Quota, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let first = from.max(q.from);
    let last = q.until.map_or(to, |u| u.min(to));
    let mut day = first;
    while day <= last {
        let (s, e) = q.period_of(day);
        out.push((s, e));
        day = q.per.end_of(day) + Duration::days(1);
    }
    out
}
