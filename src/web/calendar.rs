//! "Lịch": one week, day by day and session by session. Days that have
//! passed show what the log says happened; from now on, what the planner
//! will air. Make-ups and fixed items are marked; clicking an airing (or a
//! directive's chip) highlights every airing of that directive.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use maud::html;
use serde::Deserialize;

use super::page::{dmy, hm, layout, weekday};
use super::snapshot::{blocking, Snapshot};
use super::{error_page, Ctx, WebState};
use crate::airing_log::Event;
use crate::lang::{Lang, Localize};
use crate::report_format::{kind_label, outcome_label};
use crate::source::parse_date_text;

#[derive(Debug, Deserialize)]
pub(crate) struct WeekQuery {
    week: Option<String>,
    directive: Option<String>,
}

/// One box on the calendar.
struct Entry {
    time: NaiveTime,
    clip: String,
    directive: Option<String>,
    /// quota, fixed, make-up, manual, emergency.
    kind: &'static str,
    /// planned, completed, missed, failed, interrupted, in-progress.
    state: &'static str,
    reason: Option<String>,
}

pub(crate) async fn page(State(state): State<WebState>, ctx: Ctx, Query(q): Query<WeekQuery>) -> Response {
    let lang = ctx.lang;
    let st = state.clone();
    let week = q.week.clone();
    let data = blocking(move || -> Result<_, String> {
        let snap = Snapshot::load(&st, lang)?;
        let day = week
            .as_deref()
            .filter(|w| !w.trim().is_empty())
            .and_then(parse_date_text)
            .unwrap_or(snap.today);
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let sunday = monday + Duration::days(6);
        let records = snap.records(monday, sunday).map_err(|e| e.localize(lang))?;
        let calendar = snap.plan(monday, sunday).map_err(|e| e.localize(lang))?;
        Ok((snap, monday, records, calendar))
    })
    .await;
    let (snap, monday, records, calendar) = match data {
        Ok(d) => d,
        Err(e) => return error_page(&ctx, StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let tz = snap.tz;
    let station = &snap.inputs.station;
    let days: Vec<NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();

    // (day, session) -> entries; a session name of "" holds what aired
    // outside every window (emergencies).
    let mut cells: BTreeMap<(NaiveDate, String), Vec<Entry>> = BTreeMap::new();
    let session_of = |day: NaiveDate, t: NaiveTime| -> String {
        station
            .windows
            .iter()
            .find(|w| w.is_open_on(day) && w.covers_time(t))
            .map_or_else(String::new, |w| w.name.clone())
    };
    // The log: an end record settles its airing; a start alone is on the air.
    let mut ended = std::collections::HashSet::new();
    for r in records.iter().filter(|r| r.event == Event::End) {
        ended.insert(r.airing_id.clone());
    }
    for r in &records {
        if r.event == Event::Start && ended.contains(&r.airing_id) {
            continue;
        }
        let at = r.actual_start.unwrap_or(r.planned).with_timezone(&tz);
        let state = match r.outcome {
            Some(o) => crate::airing_log::outcome_as_str(o),
            None => "in-progress",
        };
        cells
            .entry((at.date_naive(), session_of(at.date_naive(), at.time())))
            .or_default()
            .push(Entry {
                time: at.time(),
                clip: r.clip.clone(),
                directive: r.directive.clone(),
                kind: r.kind.as_str(),
                state,
                reason: r.reason.clone(),
            });
    }
    for a in &calendar.airings {
        cells
            .entry((a.start.date_naive(), a.window.clone()))
            .or_default()
            .push(Entry {
                time: a.start.time(),
                clip: a.clip.clone(),
                directive: a.directive.clone(),
                kind: a.kind.as_str(),
                state: "planned",
                reason: None,
            });
    }
    for v in cells.values_mut() {
        v.sort_by_key(|e| e.time);
    }
    let mut directives: Vec<&str> = snap.inputs.directives.iter().map(|d| d.number.as_str()).collect();
    directives.sort();
    let shortfalls: Vec<_> = calendar
        .shortfalls
        .iter()
        .filter(|s| s.period_end >= monday && s.period_start <= monday + Duration::days(6))
        .collect();
    let title = match lang {
        Lang::Vi => format!("Lịch tuần {} – {}", dmy(days[0]), dmy(days[6])),
        Lang::En => format!("Week {} – {}", days[0], days[6]),
    };
    let link = |d: NaiveDate| format!("/calendar?week={d}");
    let content = html! {
        div.toolbar {
            a.button href=(link(monday - Duration::days(7))) { "← " (lang.pick("Tuần trước", "Previous week")) }
            a.button href="/calendar" { (lang.pick("Tuần này", "This week")) }
            a.button href=(link(monday + Duration::days(7))) { (lang.pick("Tuần sau", "Next week")) " →" }
        }
        div.chips #directive-chips {
            span.muted { (lang.pick("Tô sáng văn bản: ", "Highlight a directive: ")) }
            @for n in &directives {
                button.chip type="button" data-directive=(n)
                    class=[(q.directive.as_deref() == Some(*n)).then_some("highlight")] { (n) }
            }
        }
        p.legend {
            span.airing.planned.quota { (lang.pick("dự kiến", "planned")) }
            span.airing.completed.quota { (lang.pick("đã phát", "aired")) }
            span.airing.planned.make-up { (lang.pick("phát bù", "make-up")) }
            span.airing.planned.fixed { (lang.pick("cố định", "fixed")) }
            span.airing.missed.quota { (lang.pick("lỡ / lỗi", "missed / failed")) }
            span.airing.completed.emergency { (lang.pick("khẩn cấp", "emergency")) }
        }
        div.week #week data-highlight=(q.directive.as_deref().unwrap_or("")) {
            @for d in &days {
                @let is_today = *d == snap.today;
                section.day.today[is_today].past[*d < snap.today] {
                    h2 { (weekday(*d, lang)) " " span.date { (d.format("%d/%m")) } }
                    @let names = session_names(station, &cells, *d);
                    @if names.is_empty() { p.muted.small { (lang.pick("không phát", "no session")) } }
                    @for name in &names {
                        div.session {
                            h3 {
                                @if name.is_empty() { (lang.pick("ngoài khung giờ", "outside windows")) }
                                @else {
                                    (name)
                                    @if let Some(w) = station.windows.iter().find(|w| &w.name == name) {
                                        " " span.muted { (w.start.format("%H:%M")) }
                                    }
                                }
                            }
                            @if let Some(entries) = cells.get(&(*d, name.clone())) {
                                @for e in entries {
                                    div.airing.(e.kind).(e.state)
                                        data-clip=(e.clip) data-directive=(e.directive.as_deref().unwrap_or(""))
                                        title=(tooltip(e, lang)) tabindex="0" {
                                        span.time { (e.time.format("%H:%M")) }
                                        @if e.kind != "quota" && e.kind != "fixed" { " " span.badge.(e.kind) { (kind_label(e.kind, lang)) } }
                                        " " span.clip { (e.clip) }
                                    }
                                }
                            } @else {
                                p.muted.small { "—" }
                            }
                        }
                    }
                }
            }
        }
        @if !shortfalls.is_empty() {
            section.card.alert {
                h2 { (lang.pick("Chưa đủ chỉ tiêu trong tuần", "Shortfalls this week")) }
                ul { @for s in &shortfalls {
                    li.shortfall {
                        strong { (s.directive.as_deref().or(s.clip.as_deref()).unwrap_or("-")) }
                        " · " (dmy(s.period_start)) " – " (dmy(s.period_end)) ": "
                        (s.planned) "/" (s.required) " — " (s.reason.localize(lang))
                    }
                } }
            }
        }
        p.muted.small { (lang.pick("Cập nhật lúc ", "As of ")) (hm(&snap.now.with_timezone(&tz))) }
    };
    layout(&ctx, &station.name, &title, "/calendar", content).into_response()
}

/// The day's sessions in order, and "" last when something aired outside them.
fn session_names(
    station: &crate::station::Station,
    cells: &BTreeMap<(NaiveDate, String), Vec<Entry>>,
    day: NaiveDate,
) -> Vec<String> {
    let mut names: Vec<String> = station
        .windows
        .iter()
        .filter(|w| w.is_open_on(day))
        .map(|w| w.name.clone())
        .collect();
    if cells.contains_key(&(day, String::new())) {
        names.push(String::new());
    }
    names
}

fn tooltip(e: &Entry, lang: Lang) -> String {
    let mut t = format!("{} {}", e.time.format("%H:%M"), e.clip);
    if let Some(d) = &e.directive {
        t.push_str(&format!(" · {d}"));
    }
    t.push_str(&format!(" · {}", kind_label(e.kind, lang)));
    if e.state == "planned" {
        t.push_str(&format!(" · {}", lang.pick("dự kiến", "planned")));
    } else {
        t.push_str(&format!(" · {}", outcome_label(e.state, lang)));
    }
    if let Some(r) = &e.reason {
        t.push_str(&format!(" ({r})"));
    }
    t
}
