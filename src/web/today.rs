//! "Hôm nay": what is on the air, the next airings, today's sessions, what
//! has aired today, and every quota the calendar cannot meet, in red.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Duration;
use maud::html;

use super::page::{dmy, hm, hms, layout};
use super::snapshot::{blocking, Snapshot};
use super::{error_page, Ctx, WebState};
use crate::airing_log::Event;
use crate::lang::{Lang, Localize};
use crate::report_format::{kind_label, outcome_label};

/// How many upcoming airings the page lists.
const NEXT_SHOWN: usize = 12;

pub(crate) async fn page(State(state): State<WebState>, ctx: Ctx) -> Response {
    let lang = ctx.lang;
    let status = state.inner.status.borrow().clone();
    let st = state.clone();
    let data = blocking(move || -> Result<_, String> {
        let snap = Snapshot::load(&st, lang)?;
        let week_end = snap.today + Duration::days(6);
        let calendar = snap.plan(snap.today, week_end).map_err(|e| e.localize(lang))?;
        let records = snap
            .records(snap.today, snap.today)
            .map_err(|e| e.localize(lang))?;
        Ok((snap, calendar, records))
    })
    .await;
    let (snap, calendar, records) = match data {
        Ok(d) => d,
        Err(e) => return error_page(&ctx, StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let tz = snap.tz;
    let now_local = snap.now.with_timezone(&tz);
    let station = &snap.inputs.station;
    let sessions: Vec<_> = station
        .windows
        .iter()
        .filter(|w| w.is_open_on(snap.today))
        .collect();
    let next: Vec<_> = calendar
        .airings
        .iter()
        .filter(|a| a.start >= now_local)
        .take(NEXT_SHOWN)
        .collect();
    let shortfalls: Vec<_> = calendar
        .shortfalls
        .iter()
        .filter(|s| s.period_end >= snap.today)
        .collect();
    let done: Vec<_> = records.iter().filter(|r| r.event == Event::End).rev().collect();
    let deadlines: Vec<_> = crate::deadline::upcoming(&snap.inputs.directives, snap.today)
        .into_iter()
        .filter(|(_, due)| (due.date - snap.today).num_days() <= 30)
        .collect();
    let problems = snap.inputs.problem_lines(lang);
    let title = match lang {
        Lang::Vi => format!(
            "Hôm nay, {} {}",
            super::page::weekday(snap.today, lang),
            dmy(snap.today)
        ),
        Lang::En => format!("Today, {} {}", super::page::weekday(snap.today, lang), snap.today),
    };

    let content = html! {
        section.card #now-playing data-refresh="/status.json" {
            h2 { (lang.pick("Đang phát", "On the air")) }
            div.live { (now_playing(&status, tz, lang)) }
        }
        @if !shortfalls.is_empty() {
            section.card.alert {
                h2 { (lang.pick("Chưa đủ chỉ tiêu", "Quotas that will fall short")) }
                ul {
                    @for s in &shortfalls {
                        li.shortfall {
                            strong { (s.directive.as_deref().or(s.clip.as_deref()).unwrap_or("-")) }
                            " · " (dmy(s.period_start)) " – " (dmy(s.period_end)) ": "
                            (match lang {
                                Lang::Vi => format!("cần {}, đã phát {}, dự kiến {}", s.required, s.aired, s.planned),
                                Lang::En => format!("needs {}, aired {}, planned {}", s.required, s.aired, s.planned),
                            })
                            " — " span.reason { (s.reason.localize(lang)) }
                        }
                    }
                }
            }
        }
        div.grid {
            section.card #next-airings {
                h2 { (lang.pick("Sắp phát", "Next airings")) }
                @if next.is_empty() {
                    p.muted { (lang.pick("Không còn lượt nào trong 7 ngày tới.", "Nothing planned in the next 7 days.")) }
                } @else {
                    table {
                        thead { tr {
                            th { (lang.pick("Giờ", "Time")) }
                            th { (lang.pick("Buổi", "Session")) }
                            th { "Clip" }
                            th { (lang.pick("Văn bản", "Directive")) }
                        } }
                        tbody {
                            @for a in &next {
                                tr.(a.kind.as_str()) data-clip=(a.clip) data-directive=(a.directive.as_deref().unwrap_or("")) {
                                    td {
                                        @if a.start.date_naive() != snap.today { (super::page::weekday(a.start.date_naive(), lang)) " " }
                                        (hm(&a.start))
                                    }
                                    td { (a.window) }
                                    td { (a.clip) }
                                    td {
                                        (a.directive.as_deref().unwrap_or("—"))
                                        @if a.kind != crate::calendar::AiringKind::Quota {
                                            " " span.badge.(a.kind.as_str()) { (a.kind.localize(lang)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section.card #sessions {
                h2 { (lang.pick("Các buổi phát hôm nay", "Today's sessions")) }
                @if sessions.is_empty() {
                    p.muted { (lang.pick("Hôm nay không có buổi phát.", "No session today.")) }
                }
                ul.plain {
                    @for w in &sessions {
                        @let open = w.covers_time(now_local.time());
                        li {
                            strong { (w.name) } " " (w.start.format("%H:%M")) "–" (w.end.format("%H:%M"))
                            @if open { " " span.badge.open { (lang.pick("đang mở", "open now")) } }
                            @else if w.end <= now_local.time() { " " span.muted { (lang.pick("đã xong", "done")) } }
                        }
                    }
                }
                @if !deadlines.is_empty() {
                    h2 { (lang.pick("Hạn báo cáo", "Reports due")) }
                    ul.plain {
                        @for (number, due) in &deadlines {
                            li { strong { (number) } " — " (dmy(due.date))
                                " (" (days_left((due.date - snap.today).num_days(), lang)) ")" }
                        }
                    }
                }
            }
        }
        section.card #aired-today {
            h2 { (lang.pick("Đã phát hôm nay", "Aired today")) }
            @if done.is_empty() {
                p.muted { (lang.pick("Chưa có lượt nào.", "Nothing yet.")) }
            } @else {
                table {
                    thead { tr {
                        th { (lang.pick("Giờ", "Time")) } th { "Clip" } th { (lang.pick("Văn bản", "Directive")) }
                        th { (lang.pick("Loại", "Kind")) } th { (lang.pick("Kết quả", "Result")) }
                    } }
                    tbody {
                        @for r in &done {
                            @let outcome = r.outcome.map(crate::airing_log::outcome_as_str).unwrap_or("in-progress");
                            tr.(outcome) {
                                td { (hm(&r.actual_start.unwrap_or(r.planned).with_timezone(&tz))) }
                                td { (r.clip) }
                                td { (r.directive.as_deref().unwrap_or("—")) }
                                td { (kind_label(r.kind.as_str(), lang)) }
                                td {
                                    (outcome_label(outcome, lang))
                                    @if let Some(why) = &r.reason { br; small.muted { (why) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !problems.is_empty() {
            section.card.warn {
                h2 { (lang.pick("Cần sửa trong tệp", "To fix in the files")) }
                ul { @for p in &problems { li { (p) } } }
            }
        }
    };
    layout(&ctx, &station.name, &title, "/", content).into_response()
}

fn now_playing(status: &crate::playout::Status, tz: chrono_tz::Tz, lang: Lang) -> maud::Markup {
    html! {
        @match &status.playing {
            Some(p) => {
                p.playing {
                    strong { (p.clip) }
                    @if let Some(d) = &p.directive { " · " (d) }
                    " · " (kind_label(p.kind.as_str(), lang)) " · "
                    (hms(&p.started.with_timezone(&tz))) "–" (hms(&p.ends.with_timezone(&tz)))
                }
            }
            None => { p.muted { (lang.pick("Không phát gì lúc này.", "Nothing is playing.")) } }
        }
        @if let Some((until, why)) = &status.trouble {
            p.error {
                (lang.pick("Sự cố: ", "Trouble: ")) (why) " — "
                (lang.pick("thử lại lúc ", "retrying at ")) (hm(&until.with_timezone(&tz)))
            }
        }
    }
}

/// The "now playing" box as JSON, for the page to refresh itself.
pub(crate) async fn status_json(State(state): State<WebState>, ctx: Ctx) -> Response {
    let status = state.inner.status.borrow().clone();
    let tz = crate::station::Station::load(&state.inner.config)
        .map(|s| s.timezone)
        .unwrap_or(chrono_tz::Asia::Ho_Chi_Minh);
    Json(serde_json::json!({
        "playing": status.playing.as_ref().map(|p| p.clip.clone()),
        "html": now_playing(&status, tz, ctx.lang).into_string(),
    }))
    .into_response()
}

fn days_left(days: i64, lang: Lang) -> String {
    match (days, lang) {
        (0, Lang::Vi) => "hôm nay".into(),
        (0, Lang::En) => "today".into(),
        (1, Lang::Vi) => "ngày mai".into(),
        (1, Lang::En) => "tomorrow".into(),
        (n, Lang::Vi) => format!("còn {n} ngày"),
        (n, Lang::En) => format!("in {n} days"),
    }
}
