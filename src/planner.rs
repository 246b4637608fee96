//! The planner: a pure function from the station, its directives, its clips,
//! what has already aired and a date range to a calendar and its shortfalls.
//!
//! It does no I/O and never reads the clock: the earliest instant it may use
//! (`not_before`) is passed in. Same input, same calendar.
//!
//! How it works, in order:
//! 1. The range is widened to whole quota periods (a weekly quota planned
//!    from a Wednesday still sees its whole week), and every window opening
//!    in it becomes a *session* with a timeline of occupied intervals.
//! 2. Airings already done occupy their sessions and count toward quotas;
//!    failed or missed ones do not count, so their periods ask for more, and
//!    the extra airings are marked as make-ups.
//! 3. Fixed items go in at their cron instants.
//! 4. Quota periods are met in order: emergency, priority, normal; then the
//!    quota that ends first; then the earliest period. Each airing of a
//!    period goes to the free session nearest an evenly spaced target that
//!    holds the fewest airings of the same directive, so two a day land in
//!    two sessions and a weekly quota spreads over the week. Clips rotate
//!    least recently planned first.
//! 5. What cannot be placed becomes a shortfall with the reason.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::calendar::{AiringKind, Calendar, PlannedAiring, Shortfall, ShortfallReason};
use crate::catalog::Catalog;
use crate::directive::{Directive, Level};
use crate::fixed::FixedItem;
use crate::quota::QuotaWhat;
use crate::station::Station;

/// How an airing that was attempted ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Played in full: it counts.
    Completed,
    /// Started and cut off (daemon stopped, emergency took over).
    Interrupted,
    /// Could not start (no device, decode error).
    Failed,
    /// Its time passed while nothing was running (PC off, power cut).
    Missed,
}

/// An airing from the log, as the planner needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastAiring {
    /// The directive it served, if any.
    pub directive: Option<String>,
    /// The clip.
    pub clip: String,
    /// Planned or actual start.
    pub start: DateTime<Utc>,
    /// End (for completed airings the actual end).
    pub end: DateTime<Utc>,
    /// How it ended.
    pub outcome: Outcome,
    /// Whether it was itself a make-up (so a completed one settles a failure).
    pub make_up: bool,
}

/// Everything the planner needs; nothing else influences the calendar.
#[derive(Debug, Clone, Copy)]
pub struct PlanRequest<'a> {
    /// Windows, limits, time zone, station fixed items.
    pub station: &'a Station,
    /// The directives, in any order.
    pub directives: &'a [Directive],
    /// The playable clips.
    pub catalog: &'a Catalog,
    /// First day of the calendar (station time).
    pub from: NaiveDate,
    /// Last day of the calendar, included.
    pub to: NaiveDate,
    /// Nothing may start before this instant; `None` plans the whole range
    /// (a preview, or a plan made before the range starts).
    pub not_before: Option<DateTime<Utc>>,
    /// Airings already attempted, from the log.
    pub past: &'a [PastAiring],
}

#[derive(Debug, Clone, Copy)]
struct Item {
    start: i64,
    end: i64,
    /// The directive whose quota this item serves, for spreading; fixed
    /// items (an ident filed under a directive) do not count.
    quota_of: Option<usize>,
}

#[derive(Debug)]
struct Session {
    day: usize,
    window: usize,
    start: i64,
    end: i64,
    /// Occupied intervals, sorted by start.
    items: Vec<Item>,
    /// Airtime used: durations plus the gaps between items.
    used: i64,
}

#[derive(Debug)]
struct Placed {
    start: i64,
    end: i64,
    session: usize,
    clip: usize,
    directive: Option<usize>,
    kind: AiringKind,
}

/// Why a session cannot take an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    SessionLimit,
    Full,
}

struct Planner<'a> {
    req: PlanRequest<'a>,
    tz: Tz,
    h_from: NaiveDate,
    days: usize,
    sessions: Vec<Session>,
    /// `day_sessions[d]` is the range of `sessions` on day `d`.
    day_sessions: Vec<std::ops::Range<usize>>,
    /// Sessions with anything in them, per day.
    day_active: Vec<u32>,
    clip_ids: Vec<&'a str>,
    clip_secs: Vec<i64>,
    /// Directive indices by number, for the past airings.
    order: Vec<usize>,
    /// Counted airings (done in full, or planned) per directive per day.
    counted: Vec<Vec<u32>>,
    /// Done-in-full airings per directive per day.
    aired: Vec<Vec<u32>>,
    /// Failed/missed/interrupted airings per directive per day.
    failed: Vec<Vec<u32>>,
    /// Completed make-ups per directive per day: failures already made up.
    made_up: Vec<Vec<u32>>,
    not_before: i64,
    gap: i64,
    placed: Vec<Placed>,
    shortfalls: Vec<Shortfall>,
}

/// Plans the calendar for `req.from..=req.to`.
pub fn plan(req: PlanRequest<'_>) -> Calendar {
    let mut p = Planner::new(req);
    p.place_past();
    p.place_fixed();
    p.place_quotas();
    p.finish()
}

/// The instant a station-time wall clock reading happens. A time skipped by
/// a daylight-saving jump moves forward to the first instant that exists.
pub fn local_instant(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Tz> {
    let naive = date.and_time(time);
    for shift in 0..=180 {
        match tz.from_local_datetime(&(naive + Duration::minutes(shift))) {
            LocalResult::Single(t) => return t,
            LocalResult::Ambiguous(a, _) => return a,
            LocalResult::None => continue,
        }
    }
    tz.from_utc_datetime(&naive)
}

impl<'a> Planner<'a> {
    fn new(req: PlanRequest<'a>) -> Planner<'a> {
        let tz = req.station.timezone;
        let (h_from, h_to) = horizon(&req);
        let days = (h_to - h_from).num_days().max(-1) as usize + 1;
        let mut sessions = Vec::new();
        let mut day_sessions = Vec::with_capacity(days);
        for d in 0..days {
            let date = h_from + Duration::days(d as i64);
            let first = sessions.len();
            for (wi, w) in req.station.windows.iter().enumerate() {
                if w.is_open_on(date) {
                    sessions.push(Session {
                        day: d,
                        window: wi,
                        start: local_instant(tz, date, w.start).timestamp(),
                        end: local_instant(tz, date, w.end).timestamp(),
                        items: Vec::new(),
                        used: 0,
                    });
                }
            }
            day_sessions.push(first..sessions.len());
        }
        let clip_ids: Vec<&str> = req.catalog.clips.keys().map(String::as_str).collect();
        let clip_secs = req
            .catalog
            .clips
            .values()
            .map(|c| c.duration_seconds().max(1))
            .collect();
        let mut order: Vec<usize> = (0..req.directives.len()).collect();
        order.sort_by(|&a, &b| req.directives[a].number.cmp(&req.directives[b].number));
        let n = req.directives.len();
        Planner {
            req,
            tz,
            h_from,
            days,
            sessions,
            day_sessions,
            day_active: vec![0; days],
            clip_ids,
            clip_secs,
            order,
            counted: vec![vec![0; days]; n],
            aired: vec![vec![0; days]; n],
            failed: vec![vec![0; days]; n],
            made_up: vec![vec![0; days]; n],
            not_before: req.not_before.map_or(i64::MIN, |t| t.timestamp()),
            gap: req.station.limits.gap_seconds,
            placed: Vec::new(),
            shortfalls: Vec::new(),
        }
    }

    fn day_of(&self, date: NaiveDate) -> Option<usize> {
        let d = (date - self.h_from).num_days();
        (d >= 0 && (d as usize) < self.days).then_some(d as usize)
    }

    fn date_of_day(&self, day: usize) -> NaiveDate {
        self.h_from + Duration::days(day as i64)
    }

    fn local_date(&self, ts: i64) -> NaiveDate {
        self.tz
            .timestamp_opt(ts, 0)
            .single()
            .map_or_else(|| NaiveDate::MIN, |t| t.date_naive())
    }

    fn directive_index(&self, number: &str) -> Option<usize> {
        self.order
            .binary_search_by(|&i| self.req.directives[i].number.as_str().cmp(number))
            .ok()
            .map(|k| self.order[k])
    }

    fn clip_index(&self, id: &str) -> Option<usize> {
        self.clip_ids.binary_search(&id).ok()
    }

    /// Past airings occupy their time and count toward their quotas.
    fn place_past(&mut self) {
        for past in self.req.past {
            let (start, end) = (
                past.start.timestamp(),
                past.end.timestamp().max(past.start.timestamp()),
            );
            let dir = past.directive.as_deref().and_then(|n| self.directive_index(n));
            let Some(day) = self.day_of(self.local_date(start)) else {
                continue;
            };
            if let Some(d) = dir {
                if past.outcome == Outcome::Completed {
                    self.counted[d][day] += 1;
                    self.aired[d][day] += 1;
                    if past.make_up {
                        self.made_up[d][day] += 1;
                    }
                } else {
                    self.failed[d][day] += 1;
                }
            }
            if past.outcome == Outcome::Missed {
                continue; // it never took any airtime
            }
            if let Some(si) = self.day_sessions[day].clone().find(|&s| {
                let s = &self.sessions[s];
                s.start <= start && start < s.end
            }) {
                self.occupy(si, start, end, dir);
            }
        }
    }

    fn occupy(&mut self, si: usize, start: i64, end: i64, quota_of: Option<usize>) {
        let gap = self.gap;
        let s = &mut self.sessions[si];
        if s.items.is_empty() {
            self.day_active[s.day] += 1;
        } else {
            s.used += gap;
        }
        s.used += end - start;
        let at = s.items.partition_point(|i| i.start <= start);
        s.items.insert(at, Item { start, end, quota_of });
    }

    fn place_fixed(&mut self) {
        let station_items = self.req.station.fixed.iter().map(|f| (None, f));
        let directive_items = self
            .req
            .directives
            .iter()
            .enumerate()
            .flat_map(|(i, d)| d.fixed.iter().map(move |f| (Some(i), f)));
        let all: Vec<(Option<usize>, &FixedItem)> = station_items.chain(directive_items).collect();
        let first_instant = local_instant(self.tz, self.h_from, NaiveTime::MIN) - Duration::seconds(1);
        let horizon_end = local_instant(
            self.tz,
            self.date_of_day(self.days - 1) + Duration::days(1),
            NaiveTime::MIN,
        )
        .timestamp();
        for (dir, item) in all {
            let clip = self.clip_index(&item.clip);
            for instant in item.schedule.after(&first_instant) {
                let t = instant.timestamp();
                if t >= horizon_end {
                    break;
                }
                if t < self.not_before {
                    continue;
                }
                let day = self.day_of(instant.date_naive()).expect("inside the horizon");
                let Some(si) = self.day_sessions[day].clone().find(|&s| {
                    let s = &self.sessions[s];
                    s.start <= t && t < s.end
                }) else {
                    // Validation ensures the time of day is in some window; on
                    // days that window is closed the item is simply not due.
                    continue;
                };
                if let Some(c) = clip {
                    if self.already_aired(si, t, c) {
                        continue;
                    }
                }
                let reason = match clip {
                    None => Some(ShortfallReason::NoClip),
                    Some(c) => {
                        let end = t + self.clip_secs[c];
                        if self.fits_at(si, t, end) {
                            self.occupy(si, t, end, None);
                            self.placed.push(Placed {
                                start: t,
                                end,
                                session: si,
                                clip: c,
                                directive: dir,
                                kind: AiringKind::Fixed,
                            });
                            None
                        } else {
                            Some(ShortfallReason::FixedConflict)
                        }
                    }
                };
                if let Some(reason) = reason {
                    let date = self.date_of_day(day);
                    self.shortfalls.push(Shortfall {
                        directive: dir.map(|d| self.req.directives[d].number.clone()),
                        clip: Some(item.clip.clone()),
                        period_start: date,
                        period_end: date,
                        required: 1,
                        aired: 0,
                        planned: 0,
                        reason,
                    });
                }
            }
        }
    }

    /// Whether the log already holds this clip starting at `t` (the fixed item aired).
    fn already_aired(&self, si: usize, t: i64, clip: usize) -> bool {
        let id = self.clip_ids[clip];
        self.sessions[si].items.iter().any(|i| i.start == t)
            && self
                .req
                .past
                .iter()
                .any(|p| p.start.timestamp() == t && p.clip == id)
    }

    /// Whether `[start, end)` fits in the session without touching other items.
    fn fits_at(&self, si: usize, start: i64, end: i64) -> bool {
        let s = &self.sessions[si];
        if start < s.start || end > s.end {
            return false;
        }
        s.items
            .iter()
            .all(|i| end + self.gap <= i.start || i.end + self.gap <= start)
    }

    /// The earliest start for `secs` of audio in session `si`, or why none.
    fn slot(&self, si: usize, secs: i64) -> Result<i64, Refusal> {
        let s = &self.sessions[si];
        let limits = &self.req.station.limits;
        if s.items.is_empty() {
            if let Some(max) = limits.max_sessions_per_day {
                if self.day_active[s.day] >= max {
                    return Err(Refusal::SessionLimit);
                }
            }
        }
        if let Some(max) = limits.max_seconds_per_session {
            let extra = if s.items.is_empty() { 0 } else { self.gap };
            if s.used + extra + secs > max {
                return Err(Refusal::Full);
            }
        }
        let mut cursor = s.start.max(self.not_before);
        for item in &s.items {
            if cursor + secs + self.gap <= item.start {
                break;
            }
            cursor = cursor.max(item.end + self.gap);
        }
        if cursor + secs <= s.end {
            Ok(cursor)
        } else {
            Err(Refusal::Full)
        }
    }

    fn place_quotas(&mut self) {
        let dirs = self.req.directives;
        // Clips of each directive, in rotation order: never planned first,
        // then least recently aired (from the log), then by id.
        let mut rotations: Vec<VecDeque<usize>> = dirs
            .iter()
            .map(|d| {
                let mut clips: Vec<(Option<i64>, usize)> = (0..self.clip_ids.len())
                    .filter(|&c| d.uses_clip(self.clip_ids[c]))
                    .map(|c| {
                        let last = self
                            .req
                            .past
                            .iter()
                            .filter(|p| p.clip == self.clip_ids[c])
                            .map(|p| p.start.timestamp())
                            .max();
                        (last, c)
                    })
                    .collect();
                clips.sort();
                clips.into_iter().map(|(_, c)| c).collect()
            })
            .collect();

        struct Demand {
            level: Level,
            until: NaiveDate,
            start: usize,
            end: usize,
            directive: usize,
            quota: usize,
        }
        let mut demands = Vec::new();
        for (di, d) in dirs.iter().enumerate() {
            for (qi, q) in d.quotas.iter().enumerate() {
                if q.what != QuotaWhat::Airings {
                    continue;
                }
                let mut date = q.from.max(self.h_from);
                let last = self.date_of_day(self.days - 1);
                let last = q.until.map_or(last, |u| u.min(last));
                while date <= last {
                    let (ps, pe) = q.period_of(date);
                    // Periods touching the requested range are whole in the
                    // horizon; a period cut by the horizon's edge lies outside
                    // the range and is left to the plan that covers it.
                    if let (Some(start), Some(end)) = (self.day_of(ps), self.day_of(pe)) {
                        demands.push(Demand {
                            level: d.level,
                            until: q.until.unwrap_or(NaiveDate::MAX),
                            start,
                            end,
                            directive: di,
                            quota: qi,
                        });
                    }
                    date = pe + Duration::days(1);
                }
            }
        }
        demands.sort_by(|a, b| {
            b.level
                .cmp(&a.level)
                .then(a.until.cmp(&b.until))
                .then(a.start.cmp(&b.start))
                .then(dirs[a.directive].number.cmp(&dirs[b.directive].number))
                .then(a.quota.cmp(&b.quota))
        });

        let mut candidates = Vec::new();
        for dm in &demands {
            let d = &dirs[dm.directive];
            let q = &d.quotas[dm.quota];
            let (period_start, period_end) = q.period_of(self.date_of_day(dm.start));
            let count =
                |table: &Vec<Vec<u32>>| -> u32 { table[dm.directive][dm.start..=dm.end].iter().sum() };
            let have = count(&self.counted);
            let aired = count(&self.aired);
            // Failures not yet made up by a completed make-up.
            let failed = count(&self.failed).saturating_sub(count(&self.made_up));
            if have >= q.at_least {
                continue;
            }
            let need = q.at_least - have;
            candidates.clear();
            let mut any_window = false;
            for day in dm.start..=dm.end {
                for si in self.day_sessions[day].clone() {
                    let s = &self.sessions[si];
                    if q.windows.as_ref().is_some_and(|w| !w.contains(&s.window)) {
                        continue;
                    }
                    any_window = true;
                    if s.end > self.not_before {
                        candidates.push(si);
                    }
                }
            }
            let mut placed_here = Vec::new();
            let mut refusal = None;
            if rotations[dm.directive].is_empty() {
                refusal = Some(ShortfallReason::NoClip);
            } else if !any_window {
                refusal = Some(ShortfallReason::NoWindow);
            } else if candidates.is_empty() {
                refusal = Some(ShortfallReason::TooLate);
            } else {
                for k in 0..need {
                    let target = (k as usize * candidates.len()) / need as usize;
                    match self.place_one(dm.directive, &candidates, target, &mut rotations[dm.directive]) {
                        Ok(i) => placed_here.push(i),
                        Err(r) => {
                            refusal = Some(r);
                            break;
                        }
                    }
                }
            }
            // The earliest airings of a period with failures replace them.
            let makeups = failed.min(need) as usize;
            placed_here.sort_by_key(|&i| self.placed[i].start);
            for &i in placed_here.iter().take(makeups) {
                self.placed[i].kind = AiringKind::MakeUp;
            }
            if let Some(reason) = refusal {
                self.shortfalls.push(Shortfall {
                    directive: Some(d.number.clone()),
                    clip: None,
                    period_start,
                    period_end,
                    required: q.at_least,
                    aired,
                    planned: have + placed_here.len() as u32,
                    reason,
                });
            }
        }
    }

    /// Places one airing of directive `di` in the best candidate session.
    fn place_one(
        &mut self,
        di: usize,
        candidates: &[usize],
        target: usize,
        rotation: &mut VecDeque<usize>,
    ) -> Result<usize, ShortfallReason> {
        let mut worst = None;
        for (pos, &clip) in rotation.iter().enumerate() {
            let secs = self.clip_secs[clip];
            let mut best: Option<((u32, usize, usize), usize, i64)> = None;
            // Visit candidates outward from the target, so the first free
            // session without this directive is the best and ends the search.
            let n = candidates.len();
            let order = (0..n).flat_map(|d| {
                let below = target.checked_sub(d).filter(|_| d > 0);
                let above = Some(target + d).filter(|&j| j < n);
                below.into_iter().chain(above)
            });
            for j in order {
                let si = candidates[j];
                let same = self.sessions[si]
                    .items
                    .iter()
                    .filter(|i| i.quota_of == Some(di))
                    .count() as u32;
                if best.as_ref().is_some_and(|(k, _, _)| k.0 <= same) {
                    continue; // cannot beat what is found: nearer, or as near and earlier
                }
                if !self.under_caps(di, self.sessions[si].day) {
                    worst = telling(worst, ShortfallReason::AtMost);
                    continue;
                }
                match self.slot(si, secs) {
                    Ok(start) => {
                        best = Some(((same, j.abs_diff(target), j), si, start));
                        if same == 0 {
                            break;
                        }
                    }
                    Err(r) => {
                        let r = match r {
                            Refusal::Full => ShortfallReason::WindowFull,
                            Refusal::SessionLimit => ShortfallReason::SessionLimit,
                        };
                        worst = telling(worst, r);
                    }
                }
            }
            if let Some((_, si, start)) = best {
                let end = start + secs;
                self.occupy(si, start, end, Some(di));
                let day = self.sessions[si].day;
                self.counted[di][day] += 1;
                rotation.remove(pos);
                rotation.push_back(clip);
                self.placed.push(Placed {
                    start,
                    end,
                    session: si,
                    clip,
                    directive: Some(di),
                    kind: AiringKind::Quota,
                });
                return Ok(self.placed.len() - 1);
            }
        }
        Err(worst.unwrap_or(ShortfallReason::WindowFull))
    }

    /// Whether every `at_most` of the directive allows one more airing on `day`.
    fn under_caps(&self, di: usize, day: usize) -> bool {
        let quotas = &self.req.directives[di].quotas;
        if quotas.iter().all(|q| q.at_most.is_none()) {
            return true;
        }
        let date = self.date_of_day(day);
        quotas.iter().all(|q| {
            let Some(max) = q.at_most else { return true };
            if q.what != QuotaWhat::Airings || !q.applies_on(date) {
                return true;
            }
            let (ps, pe) = q.period_of(date);
            let a = self.day_of(ps.max(self.h_from)).unwrap_or(0);
            let b = self.day_of(pe).unwrap_or(self.days - 1);
            self.counted[di][a..=b].iter().sum::<u32>() < max
        })
    }

    fn finish(self) -> Calendar {
        let tz = self.tz;
        let (from, to) = (self.req.from, self.req.to);
        let at = |ts: i64| tz.timestamp_opt(ts, 0).single().expect("a valid instant");
        let (first_day, last_day) = (self.day_of(from), self.day_of(to));
        let mut airings = Vec::with_capacity(self.placed.len());
        airings.extend(
            self.placed
                .iter()
                .filter(|p| {
                    // Every airing lies inside its session, on the session's day.
                    let day = Some(self.sessions[p.session].day);
                    first_day <= day && day <= last_day
                })
                .map(|p| PlannedAiring {
                    start: at(p.start),
                    end: at(p.end),
                    window: self.req.station.windows[self.sessions[p.session].window]
                        .name
                        .clone(),
                    clip: self.clip_ids[p.clip].to_string(),
                    directive: p.directive.map(|d| self.req.directives[d].number.clone()),
                    kind: p.kind,
                }),
        );
        airings.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.clip.cmp(&b.clip)));
        let mut shortfalls: Vec<Shortfall> = self
            .shortfalls
            .into_iter()
            .filter(|s| s.period_end >= from && s.period_start <= to)
            .collect();
        shortfalls.sort_by(|a, b| {
            (a.period_start, &a.directive, &a.clip, a.period_end).cmp(&(
                b.period_start,
                &b.directive,
                &b.clip,
                b.period_end,
            ))
        });
        Calendar { airings, shortfalls }
    }
}

/// Of two reasons for a shortfall, the one that tells the officer most:
/// full windows over a session cap over an `at_most` cap.
fn telling(current: Option<ShortfallReason>, new: ShortfallReason) -> Option<ShortfallReason> {
    let rank = |r: ShortfallReason| match r {
        ShortfallReason::WindowFull => 3,
        ShortfallReason::SessionLimit => 2,
        _ => 1,
    };
    match current {
        Some(c) if rank(c) >= rank(new) => Some(c),
        _ => Some(new),
    }
}

/// The requested range widened so every airing quota's periods that touch
/// it are whole.
fn horizon(req: &PlanRequest<'_>) -> (NaiveDate, NaiveDate) {
    let (mut lo, mut hi) = (req.from, req.to.max(req.from));
    for d in req.directives {
        for q in d.quotas.iter().filter(|q| q.what == QuotaWhat::Airings) {
            let a = req.from.max(q.from);
            let b = q.until.map_or(req.to, |u| req.to.min(u));
            if a > b {
                continue;
            }
            lo = lo.min(q.period_of(a).0);
            hi = hi.max(q.period_of(b).1);
        }
    }
    (lo, hi)
}
