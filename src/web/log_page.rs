//! "Nhật ký": the latest airings from the tamper-evident log, whether the
//! chain is intact, and the whole log as CSV.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::html;

use super::page::layout;
use super::snapshot::{blocking, Snapshot};
use super::{error_page, Ctx, WebState};
use crate::airing_log::{export, Event, ExportFormat};
use crate::lang::{Lang, Localize};
use crate::report_format::{kind_label, outcome_label};

/// How many records the page shows.
const SHOWN: usize = 100;

pub(crate) async fn page(State(state): State<WebState>, ctx: Ctx) -> Response {
    let lang = ctx.lang;
    let st = state.clone();
    let data = blocking(move || -> Result<_, String> {
        let snap = Snapshot::load(&st, lang)?;
        let Some(log) = snap.log().map_err(|e| e.localize(lang))? else {
            return Ok((snap, None));
        };
        let verification = log.verify().map_err(|e| e.localize(lang))?;
        let latest = log.latest(SHOWN).map_err(|e| e.localize(lang))?;
        Ok((snap, Some((verification, latest))))
    })
    .await;
    let (snap, log) = match data {
        Ok(d) => d,
        Err(e) => return error_page(&ctx, StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let tz = snap.tz;
    let content = html! {
        @match &log {
            None => {
                p #verify-status.intact { (lang.pick("Chưa có lượt phát nào: nhật ký sẽ được tạo khi phát lượt đầu tiên.",
                    "Nothing aired yet: the log is created with the first airing.")) }
            }
            Some((v, latest)) => {
                section.card {
                    p #verify-status class=(if v.is_intact() { "intact" } else { "broken" }) {
                        @if v.is_intact() { "✔ " } @else { "✘ " }
                        (v.localize(lang))
                    }
                    p { a.button href="/log/export.csv" { (lang.pick("Tải toàn bộ nhật ký (CSV)", "Download the whole log (CSV)")) } }
                }
                section.card {
                    h2 { (match lang { Lang::Vi => format!("{} bản ghi gần nhất", latest.len()), Lang::En => format!("The latest {} records", latest.len()) }) }
                    table #log.responsive {
                        thead { tr {
                            th { "#" }
                            th { (lang.pick("Thời điểm", "When")) }
                            th { (lang.pick("Sự kiện", "Event")) }
                            th { "Clip" }
                            th { (lang.pick("Văn bản", "Directive")) }
                            th { (lang.pick("Loại", "Kind")) }
                            th { (lang.pick("Kết quả", "Result")) }
                        } }
                        tbody {
                            @for r in latest.iter().rev() {
                                @let outcome = r.outcome.map(crate::airing_log::outcome_as_str);
                                tr class=[outcome] {
                                    td data-label="#" { (r.seq) }
                                    td data-label=(lang.pick("Thời điểm", "When")) {
                                        (r.actual_start.unwrap_or(r.planned).with_timezone(&tz).format("%d/%m/%Y %H:%M:%S"))
                                    }
                                    td data-label=(lang.pick("Sự kiện", "Event")) {
                                        (match (r.event, lang) { (Event::Start, Lang::Vi) => "bắt đầu", (Event::End, Lang::Vi) => "kết thúc", (Event::Start, Lang::En) => "start", (Event::End, Lang::En) => "end" })
                                    }
                                    td data-label="Clip" { (r.clip) br; small.muted.hash title=(r.clip_sha256) { (r.clip_sha256.get(..12).unwrap_or("")) "…" } }
                                    td data-label=(lang.pick("Văn bản", "Directive")) { (r.directive.as_deref().unwrap_or("—")) }
                                    td data-label=(lang.pick("Loại", "Kind")) { (kind_label(r.kind.as_str(), lang)) }
                                    td data-label=(lang.pick("Kết quả", "Result")) {
                                        @if let Some(o) = outcome { (outcome_label(o, lang)) }
                                        @if let Some(why) = &r.reason { br; small.muted { (why) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(
        &ctx,
        &snap.inputs.station.name,
        lang.pick("Nhật ký phát", "Airing log"),
        "/log",
        content,
    )
    .into_response()
}

/// The whole log as CSV (the same file as `loa log export`).
pub(crate) async fn export_csv(State(state): State<WebState>, ctx: Ctx) -> Response {
    let lang = ctx.lang;
    let st = state.clone();
    let result = blocking(move || -> Result<Vec<u8>, String> {
        let snap = Snapshot::load(&st, lang)?;
        let Some(log) = snap.log().map_err(|e| e.localize(lang))? else {
            return Err(lang.pick("Chưa có nhật ký.", "There is no log yet.").to_string());
        };
        let mut out = Vec::new();
        export(log, None, None, snap.tz, ExportFormat::Csv, &mut out).map_err(|e| e.localize(lang))?;
        Ok(out)
    })
    .await;
    match result {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment; filename=\"nhat-ky-phat.csv\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error_page(&ctx, StatusCode::NOT_FOUND, &e),
    }
}
