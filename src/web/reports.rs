//! "Báo cáo": pick the directive(s) and the range, download the report as
//! Excel, Word or CSV: the same files `loa report` writes.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use maud::html;

use super::page::layout;
use super::snapshot::{blocking, for_page, Snapshot};
use super::{error_page, Ctx, WebState};
use crate::lang::Lang;
use crate::report_file::{choose_directives, file_name, produce, ReportFileFormat};
use crate::source::parse_date_text;

pub(crate) async fn page(State(state): State<WebState>, ctx: Ctx) -> Response {
    let lang = ctx.lang;
    let snap = match for_page(&state, &ctx).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let today = snap.today;
    let first = today.with_day(1).unwrap_or(today);
    let content = html! {
        section.card {
            form #report-form method="get" action="/reports/download" {
                label { (lang.pick("Văn bản", "Directive")) br;
                    select name="directive" {
                        option value="" { (lang.pick("Tất cả văn bản", "All directives")) }
                        @for d in &snap.inputs.directives {
                            option value=(d.number) {
                                (d.number)
                                @if let Some(s) = &d.subject { " — " (truncate(s, 70)) }
                            }
                        }
                    }
                }
                div.row {
                    label { (lang.pick("Từ ngày", "From")) br; input type="date" name="from" value=(first) required; }
                    label { (lang.pick("Đến ngày", "To")) br; input type="date" name="to" value=(today) required; }
                }
                div.row.buttons {
                    button type="submit" name="format" value="xlsx" { "Excel (.xlsx)" }
                    button type="submit" name="format" value="docx" { "Word (.docx)" }
                    button type="submit" name="format" value="csv" { "CSV" }
                }
            }
            p.muted.small { (lang.pick(
                "Báo cáo lấy từ nhật ký phát (không sửa được) và ghi mã băm cuối của nhật ký để đối chiếu. Bản Word theo thể thức Nghị định 30/2020.",
                "Reports come from the tamper-evident airing log and carry its last hash for checking. The Word file follows the Decree 30/2020 layout.")) }
        }
    };
    layout(
        &ctx,
        &snap.inputs.station.name,
        lang.pick("Báo cáo", "Reports"),
        "/reports",
        content,
    )
    .into_response()
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

/// The report file as a download.
pub(crate) async fn download(State(state): State<WebState>, ctx: Ctx, RawQuery(query): RawQuery) -> Response {
    let lang = ctx.lang;
    let mut numbers = Vec::new();
    let (mut from, mut to, mut format) = (None, None, None);
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "directive" if !v.trim().is_empty() => numbers.push(v.into_owned()),
            "from" => from = Some(v.into_owned()),
            "to" => to = Some(v.into_owned()),
            "format" => format = Some(v.into_owned()),
            _ => {}
        }
    }
    let format = match format.as_deref() {
        Some("xlsx") | None => ReportFileFormat::Xlsx,
        Some("docx") => ReportFileFormat::Docx,
        Some("csv") => ReportFileFormat::Csv,
        Some("json") => ReportFileFormat::Json,
        Some(other) => {
            let msg = match lang {
                Lang::Vi => format!("định dạng \"{other}\" không có; chọn xlsx, docx hoặc csv"),
                Lang::En => format!("no format \"{other}\"; choose xlsx, docx or csv"),
            };
            return error_page(&ctx, StatusCode::BAD_REQUEST, &msg);
        }
    };
    let st = state.clone();
    let result = blocking(move || -> Result<(Vec<u8>, String), String> {
        let snap = Snapshot::load(&st, lang)?;
        let date = |v: Option<String>, default| -> Result<_, String> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(default),
                Some(s) => parse_date_text(s).ok_or_else(|| match lang {
                    Lang::Vi => format!("ngày \"{s}\" không hợp lệ (dạng 28/09/2026)"),
                    Lang::En => format!("\"{s}\" is not a date (e.g. 2026-09-28)"),
                }),
            }
        };
        let from = date(from, snap.today.with_day(1).unwrap_or(snap.today))?;
        let to = date(to, snap.today)?;
        let all = numbers.is_empty();
        let directives = choose_directives(&snap.inputs, &numbers, lang)?;
        let bytes = produce(&snap.inputs, &directives, from, to, snap.today, format, lang)?;
        Ok((bytes, file_name(&directives, all, from, to, format)))
    })
    .await;
    match result {
        Err(e) => error_page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &e),
        Ok((bytes, name)) => {
            let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
            (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static(format.mime())),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response()
        }
    }
}
