//! "Văn bản": the directives with their compliance so far (met, on track,
//! behind, overdue), and the import of a new one: a .docx or .txt goes
//! through the same extraction as `loa directive import`, the officer
//! reviews each value beside the sentence it came from, picks the clips,
//! and saves. Saving validates the file exactly as the daemon will and
//! writes it into `schedules/` in one step, or writes nothing.

use std::path::PathBuf;

use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use maud::{html, Markup};

use super::page::{csrf_field, dmy, layout};
use super::snapshot::{blocking, Snapshot};
use super::{error_page, redirect_with_flash, Ctx, WebState};
use crate::directive::Directive;
use crate::directive_import::{self, Extraction};
use crate::lang::{Lang, Localize};
use crate::report::{build, day_start, report_span, ReportRequest};
use crate::report_format::summary_line;
use crate::source::SourceFile;

/// Compliance looks back this far ("so far" without reading years of log).
const LOOK_BACK_DAYS: i64 = 31;
/// The largest directive document accepted.
const MAX_DOCUMENT_BYTES: usize = 30 << 20;

/// Where a directive stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Every period so far met.
    Met,
    /// The current period is open and the calendar meets it.
    OnTrack,
    /// The calendar cannot meet the current period.
    Behind,
    /// A period that has ended was not met.
    Overdue,
    /// No quota period has begun or all have ended long ago.
    Idle,
}

impl Standing {
    fn class(self) -> &'static str {
        match self {
            Standing::Met => "met",
            Standing::OnTrack => "on-track",
            Standing::Behind => "behind",
            Standing::Overdue => "overdue",
            Standing::Idle => "idle",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Standing::Met => lang.pick("đạt", "met"),
            Standing::OnTrack => lang.pick("đúng tiến độ", "on track"),
            Standing::Behind => lang.pick("chậm, sẽ thiếu", "behind"),
            Standing::Overdue => lang.pick("quá hạn, chưa đạt", "overdue"),
            Standing::Idle => lang.pick("chưa / hết hiệu lực", "not active"),
        }
    }
}

pub(crate) async fn page(State(state): State<WebState>, ctx: Ctx) -> Response {
    let lang = ctx.lang;
    let st = state.clone();
    let data = blocking(move || -> Result<_, String> {
        let snap = Snapshot::load(&st, lang)?;
        let from = snap.today - Duration::days(LOOK_BACK_DAYS);
        let (lo, hi) = report_span(&snap.inputs.directives, from, snap.today);
        let log = snap.log().map_err(|e| e.localize(lang))?;
        let head = log.and_then(|l| l.head().ok().flatten());
        let records = log
            .map(|l| {
                l.records(
                    Some(day_start(snap.tz, lo)),
                    Some(day_start(snap.tz, hi + Duration::days(1))),
                )
            })
            .transpose()
            .map_err(|e| e.localize(lang))?
            .unwrap_or_default();
        let report = build(ReportRequest {
            station: &snap.inputs.station,
            directives: &snap.inputs.directives,
            catalog: &snap.inputs.catalog,
            records: &records,
            from,
            to: snap.today,
            today: snap.today,
            head,
        });
        let calendar = snap
            .plan(snap.today, snap.today + Duration::days(LOOK_BACK_DAYS))
            .map_err(|e| e.localize(lang))?;
        Ok((snap, report, calendar))
    })
    .await;
    let (snap, report, calendar) = match data {
        Ok(d) => d,
        Err(e) => return error_page(&ctx, StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let today = snap.today;
    let rows: Vec<_> = snap
        .inputs
        .directives
        .iter()
        .map(|d| {
            let r = report.directives.iter().find(|r| r.number == d.number);
            let behind = calendar.shortfalls.iter().any(|s| {
                s.directive.as_deref() == Some(d.number.as_str())
                    && s.period_start <= today
                    && today <= s.period_end
            });
            let standing = match r {
                None => Standing::Idle,
                Some(r) => {
                    let closed_unmet = r.periods.iter().any(|p| !p.open && !p.met)
                        || r.content.iter().any(|c| !c.open && !c.met);
                    let any_open = r.periods.iter().any(|p| p.open) || r.content.iter().any(|c| c.open);
                    if closed_unmet {
                        Standing::Overdue
                    } else if behind {
                        Standing::Behind
                    } else if any_open {
                        Standing::OnTrack
                    } else if r.periods.is_empty() && r.content.is_empty() {
                        Standing::Idle
                    } else {
                        Standing::Met
                    }
                }
            };
            let due = d
                .reports
                .iter()
                .filter_map(|x| x.next_due(today, today))
                .min_by_key(|x| x.date);
            (d, r, standing, due)
        })
        .collect();
    let content = html! {
        section.card {
            table #directives.responsive {
                thead { tr {
                    th { (lang.pick("Số, ký hiệu", "Number")) }
                    th { (lang.pick("Trích yếu", "Subject")) }
                    th { (lang.pick("Chỉ tiêu", "Quotas")) }
                    th { (lang.pick("Tình hình (31 ngày qua)", "Standing (last 31 days)")) }
                    th { (lang.pick("Hạn báo cáo", "Report due")) }
                } }
                tbody {
                    @for (d, r, standing, due) in &rows {
                        tr data-directive=(d.number) {
                            td data-label=(lang.pick("Số", "Number")) {
                                strong { (d.number) } br;
                                small.muted { (d.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()) }
                            }
                            td data-label=(lang.pick("Trích yếu", "Subject")) {
                                (d.subject.as_deref().unwrap_or("—"))
                                @if let Some(i) = &d.issuer { br; small.muted { (i) @if let Some(at) = d.issued { ", " (dmy(at)) } } }
                            }
                            td data-label=(lang.pick("Chỉ tiêu", "Quotas")) {
                                @for q in &d.quotas {
                                    div { (quota_text(q, lang)) }
                                }
                            }
                            td data-label=(lang.pick("Tình hình", "Standing")) {
                                span.status.(standing.class()) { (standing.label(lang)) }
                                @if let Some(r) = r { br; small { (summary_line(r, lang)) } }
                                br; a.small href={ "/calendar?directive=" (d.number) } { (lang.pick("xem trên lịch", "see on the calendar")) }
                            }
                            td data-label=(lang.pick("Hạn báo cáo", "Report due")) {
                                @if let Some(due) = due { (dmy(due.date)) } @else { "—" }
                            }
                        }
                    }
                }
            }
            @if rows.is_empty() { p.muted { (lang.pick("Chưa có văn bản nào.", "No directives yet.")) } }
        }
        @if !snap.inputs.errors.is_empty() {
            section.card.warn {
                h2 { (lang.pick("Tệp văn bản có lỗi (đang bị bỏ qua)", "Directive files with errors (left out)")) }
                ul { @for e in &snap.inputs.errors { li { (e.localize(lang)) } } }
            }
        }
        section.card #import {
            h2 { (lang.pick("Nhập văn bản mới", "Import a directive")) }
            p.muted { (lang.pick("Chọn công văn, kế hoạch dạng .docx hoặc .txt. Chương trình đọc số, ngày, chỉ tiêu và hạn báo cáo; bạn kiểm tra từng giá trị trước khi lưu.",
                "Choose the document as .docx or .txt. loa reads its number, dates, quotas and report deadlines; you check each value before saving.")) }
            form #import-form method="post" action="/directives/import" enctype="multipart/form-data" {
                (csrf_field(&ctx))
                input type="file" name="document" accept=".docx,.txt" required;
                button type="submit" { (lang.pick("Đọc văn bản", "Read the document")) }
            }
        }
    };
    layout(
        &ctx,
        &snap.inputs.station.name,
        lang.pick("Văn bản chỉ đạo", "Directives"),
        "/directives",
        content,
    )
    .into_response()
}

fn quota_text(q: &crate::quota::Quota, lang: Lang) -> String {
    use crate::quota::QuotaWhat;
    let what = match q.what {
        QuotaWhat::Airings => lang.pick("lượt", "airings"),
        _ => lang.pick("tin, bài mới", "new items"),
    };
    let per = match (q.per.as_str(), lang) {
        ("day", Lang::Vi) => "ngày",
        ("week", Lang::Vi) => "tuần",
        ("month", Lang::Vi) => "tháng",
        (p, _) => p,
    };
    let mut s = match lang {
        Lang::Vi => format!("≥ {} {what}/{per}", q.at_least),
        Lang::En => format!("≥ {} {what}/{per}", q.at_least),
    };
    s.push_str(&format!(" {} {}", lang.pick("từ", "from"), dmy(q.from)));
    if let Some(u) = q.until {
        s.push_str(&format!(" {} {}", lang.pick("đến", "until"), dmy(u)));
    }
    s
}

/// Reads an uploaded document and shows the draft for review.
pub(crate) async fn import(State(state): State<WebState>, ctx: Ctx, mut multipart: Multipart) -> Response {
    let lang = ctx.lang;
    let mut doc: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        if field.name() != Some("document") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let mut bytes = Vec::new();
        while let Ok(Some(c)) = field.chunk().await {
            if bytes.len() + c.len() > MAX_DOCUMENT_BYTES {
                return error_page(
                    &ctx,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    lang.pick("Tệp văn bản quá lớn.", "The document is too large."),
                );
            }
            bytes.extend_from_slice(&c);
        }
        doc = Some((name, bytes));
    }
    let Some((name, bytes)) = doc.filter(|(n, b)| !n.is_empty() && !b.is_empty()) else {
        return redirect_with_flash(
            "/directives",
            lang.pick("Chưa chọn tệp văn bản.", "No document was chosen."),
            true,
        );
    };
    let st = state.clone();
    let shown_name = name.clone();
    let result = blocking(move || -> Result<_, String> {
        let snap = Snapshot::load(&st, lang)?;
        // The reader works on files (a .docx is a zip): a hidden temporary
        // copy in the data folder, removed straight after.
        let ext = std::path::Path::new(&name)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let tmp = snap.inputs.station.data_dir.join(format!(
            ".import-{}.{}",
            super::auth::new_token(),
            ext.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        ));
        std::fs::create_dir_all(&snap.inputs.station.data_dir).map_err(|e| e.to_string())?;
        std::fs::write(&tmp, &bytes).map_err(|e| e.to_string())?;
        let text = directive_import::read_document(&tmp);
        let _ = std::fs::remove_file(&tmp);
        let text = text.map_err(|e| format!("{name}: {}", e.localize(lang)))?;
        let x = directive_import::extract(&text);
        let draft = directive_import::draft_toml(&x, &name, snap.today, lang);
        let file = format!("{}.toml", directive_import::file_stem(&x));
        Ok((snap, x, draft, file))
    })
    .await;
    match result {
        Err(e) => redirect_with_flash("/directives", &e, true),
        Ok((snap, x, draft, file)) => {
            let exists = snap.inputs.station.schedules_dir.join(&file).exists();
            let body = review(
                &ctx,
                &snap,
                Some(&x),
                &shown_name,
                &file,
                &draft,
                &[],
                exists,
                &[],
            );
            layout(
                &ctx,
                &snap.inputs.station.name,
                lang.pick("Kiểm tra văn bản vừa đọc", "Review the imported directive"),
                "/directives",
                body,
            )
            .into_response()
        }
    }
}

/// The review form: values with their sources, the draft, the clips.
#[allow(clippy::too_many_arguments)]
fn review(
    ctx: &Ctx,
    snap: &Snapshot,
    x: Option<&Extraction>,
    source: &str,
    file: &str,
    draft: &str,
    chosen: &[String],
    exists: bool,
    errors: &[String],
) -> Markup {
    let lang = ctx.lang;
    html! {
        @if !errors.is_empty() {
            section.card.alert #save-errors {
                h2 { (lang.pick("Chưa lưu được", "Not saved")) }
                ul { @for e in errors { li { (e) } } }
            }
        }
        @if let Some(x) = x {
            section.card #extracted {
                h2 { (lang.pick("Giá trị đọc được từ ", "Values read from ")) (source) }
                table.responsive {
                    thead { tr { th { (lang.pick("Mục", "Item")) } th { (lang.pick("Giá trị", "Value")) } th { (lang.pick("Câu gốc trong văn bản", "The document's words")) } } }
                    tbody {
                        @for row in directive_import::review_rows(x, lang) {
                            tr {
                                td { (row.label) }
                                td { strong { (row.value) } }
                                td.quote {
                                    @if row.sentence.is_empty() { span.muted { "—" } }
                                    @else { blockquote { (highlight(&row.sentence, &row.quote)) } }
                                }
                            }
                        }
                    }
                }
                @let flags = directive_import::review_flags(x, lang);
                @if !flags.is_empty() {
                    h3 { (lang.pick("Cần kiểm tra", "To check")) }
                    ul.flags { @for f in &flags { li { (f) } } }
                }
            }
        }
        section.card {
            form #save-form method="post" action="/directives/save" {
                (csrf_field(ctx))
                label { (lang.pick("Tên tệp trong thư mục schedules", "File name in the schedules folder")) br;
                    input type="text" name="file" value=(file) required pattern="[^/\\\\]+"; }
                @if exists {
                    p.warn { (lang.pick("Đã có tệp cùng tên.", "A file with this name exists.")) " "
                        label { input type="checkbox" name="overwrite" value="1"; " " (lang.pick("Ghi đè", "Overwrite")) } }
                }
                fieldset {
                    legend { (lang.pick("Clip phát cho văn bản này", "Clips to air for this directive")) }
                    @if snap.inputs.catalog.clips.is_empty() {
                        p.muted { (lang.pick("Thư viện chưa có clip: thêm clip ở trang Clip trước.", "The library has no clips: add some on the Clips page first.")) }
                    }
                    div.clip-choices {
                        @for id in snap.inputs.catalog.clips.keys() {
                            label { input type="checkbox" name="clips" value=(id) checked[chosen.contains(id)]; " " (id) }
                        }
                    }
                }
                label.block { (lang.pick("Bản nháp (có thể sửa; mỗi giá trị kèm câu gốc ở dòng chú thích)", "Draft (editable; each value has its source in a comment)")) br;
                    textarea name="toml" rows="24" spellcheck="false" { (draft) } }
                button type="submit" { (lang.pick("Kiểm tra và lưu", "Check and save")) }
                " " a href="/directives" { (lang.pick("Hủy", "Cancel")) }
            }
        }
    }
}

/// The sentence with the quoted words marked.
fn highlight(sentence: &str, quote: &str) -> Markup {
    match (!quote.is_empty()).then(|| sentence.find(quote)).flatten() {
        Some(i) => html! { (&sentence[..i]) mark { (quote) } (&sentence[i + quote.len()..]) },
        None => html! { (sentence) },
    }
}

/// Validates the draft as the daemon will and writes it, or shows why not.
pub(crate) async fn save(State(state): State<WebState>, ctx: Ctx, body: Bytes) -> Response {
    let lang = ctx.lang;
    let mut file = String::new();
    let mut text = String::new();
    let mut clips = Vec::new();
    let mut overwrite = false;
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "file" => file = v.into_owned(),
            "toml" => text = v.replace("\r\n", "\n"),
            "clips" => clips.push(v.into_owned()),
            "overwrite" => overwrite = v == "1",
            _ => {}
        }
    }
    let _writing = state.inner.writes.lock().await;
    let st = state.clone();
    let result = blocking(move || match Snapshot::load(&st, lang) {
        Err(e) => Saved::Broken(e),
        Ok(snap) => match check_and_write(&snap, &file, &text, &clips, overwrite, lang) {
            Ok(path) => Saved::Written(path),
            Err((text, errors)) => Saved::Refused(Box::new(Refusal {
                snap,
                file,
                text,
                clips,
                errors,
            })),
        },
    })
    .await;
    match result {
        Saved::Written(path) => redirect_with_flash(
            "/directives",
            &match lang {
                Lang::Vi => format!("Đã lưu {}. Chương trình phát tự nạp lại.", path.display()),
                Lang::En => format!("Saved {}. The daemon reloads it by itself.", path.display()),
            },
            false,
        ),
        Saved::Broken(e) => error_page(&ctx, StatusCode::INTERNAL_SERVER_ERROR, &e),
        Saved::Refused(r) => {
            let exists =
                sanitize_file(&r.file).is_some_and(|f| r.snap.inputs.station.schedules_dir.join(f).exists());
            let body = review(
                &ctx, &r.snap, None, "", &r.file, &r.text, &r.clips, exists, &r.errors,
            );
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                layout(
                    &ctx,
                    &r.snap.inputs.station.name,
                    lang.pick("Kiểm tra văn bản", "Review the directive"),
                    "/directives",
                    body,
                ),
            )
                .into_response()
        }
    }
}

/// How a save ended.
enum Saved {
    /// Written to this file.
    Written(PathBuf),
    /// The station itself could not be loaded.
    Broken(String),
    /// The draft was refused; the form is shown again.
    Refused(Box<Refusal>),
}

/// A refused draft, to show again with the reasons.
struct Refusal {
    snap: Snapshot,
    file: String,
    text: String,
    clips: Vec<String>,
    errors: Vec<String>,
}

/// A file name for `schedules/`: one plain name ending in `.toml`.
fn sanitize_file(raw: &str) -> Option<String> {
    let name = crate::library::sanitize_name(raw.trim())?;
    let name = if name.to_ascii_lowercase().ends_with(".toml") {
        name
    } else {
        format!("{name}.toml")
    };
    (name.len() > ".toml".len()).then_some(name)
}

/// Puts the chosen clips into the draft, validates it, writes it. On
/// failure, the (clip-filled) text and the reasons.
fn check_and_write(
    snap: &Snapshot,
    file: &str,
    text: &str,
    clips: &[String],
    overwrite: bool,
    lang: Lang,
) -> Result<PathBuf, (String, Vec<String>)> {
    let station = &snap.inputs.station;
    let Some(name) = sanitize_file(file) else {
        return Err((
            text.to_string(),
            vec![lang
                .pick("Tên tệp không hợp lệ.", "The file name is not valid.")
                .to_string()],
        ));
    };
    let path = station.schedules_dir.join(&name);
    let text = match with_clips(text, clips) {
        Ok(t) => t,
        Err(e) => {
            let src = SourceFile::new(&path, text);
            let msg = src.parse::<toml::Table>().err().map_or(e, |e| e.localize(lang));
            return Err((text.to_string(), vec![msg]));
        }
    };
    let src = SourceFile::new(&path, text.clone());
    let directive = match Directive::from_source(&src, station) {
        Ok(d) => d,
        Err(errors) => return Err((text, errors.iter().map(|e| e.localize(lang)).collect())),
    };
    let mut errors = Vec::new();
    if let Some(other) = snap
        .inputs
        .directives
        .iter()
        .find(|d| d.number == directive.number && d.path != path)
    {
        errors.push(match lang {
            Lang::Vi => format!(
                "văn bản số {} đã có trong {}",
                directive.number,
                other.path.display()
            ),
            Lang::En => format!(
                "directive {} is already in {}",
                directive.number,
                other.path.display()
            ),
        });
    }
    if path.exists() && !overwrite {
        errors.push(match lang {
            Lang::Vi => format!("{} đã có: đánh dấu \"Ghi đè\" hoặc đổi tên tệp", path.display()),
            Lang::En => format!(
                "{} exists: tick \"Overwrite\" or change the file name",
                path.display()
            ),
        });
    }
    if !errors.is_empty() {
        return Err((text, errors));
    }
    if let Err(e) = std::fs::create_dir_all(&station.schedules_dir)
        .and_then(|()| crate::fsutil::write_atomically(&path, text.as_bytes()))
    {
        return Err((text, vec![format!("{}: {e}", path.display())]));
    }
    Ok(path)
}

/// The draft with `clips` holding the chosen ids (kept in the order
/// written, comments untouched).
fn with_clips(text: &str, chosen: &[String]) -> Result<String, String> {
    if chosen.is_empty() {
        return Ok(text.to_string());
    }
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| e.to_string())?;
    let mut list: Vec<String> = doc
        .get("clips")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    for c in chosen {
        if !list.contains(c) {
            list.push(c.clone());
        }
    }
    let mut array = toml_edit::Array::new();
    for c in &list {
        array.push(c.as_str());
    }
    match doc.get_mut("clips") {
        Some(item) if item.is_value() => {
            // Keep the comment that follows the value on its line.
            let decor = item.as_value().map(|v| v.decor().clone());
            let mut value = toml_edit::Value::Array(array);
            if let Some(d) = decor {
                *value.decor_mut() = d;
            }
            *item = toml_edit::Item::Value(value);
        }
        _ => {
            doc.insert("clips", toml_edit::value(array));
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosen_clips_fill_the_draft_and_keep_its_comments() {
        let draft = "# from the document\nnumber = \"1/KH\"  # «Số: 1/KH»\nclips = []  # fill in\n\n[[quota]]\nat_least = 2\n";
        let out = with_clips(draft, &["a".into(), "b".into()]).unwrap();
        assert!(out.contains("clips = [\"a\", \"b\"]"), "{out}");
        assert!(out.contains("# fill in"), "{out}");
        assert!(out.contains("# «Số: 1/KH»"), "{out}");
        // The array stays a top-level key, before the tables.
        assert!(
            out.find("clips").unwrap() < out.find("[[quota]]").unwrap(),
            "{out}"
        );
    }

    #[test]
    fn a_draft_without_clips_gets_them_before_its_tables() {
        let out = with_clips("number = \"1/KH\"\n\n[[quota]]\nat_least = 2\n", &["x".into()]).unwrap();
        let doc: toml::Table = out.parse().unwrap();
        assert_eq!(doc["clips"].as_array().unwrap().len(), 1);
        assert!(doc["quota"].as_array().is_some());
    }

    #[test]
    fn file_names_stay_inside_schedules() {
        assert_eq!(sanitize_file("../../etc/x").as_deref(), Some("x.toml"));
        assert_eq!(sanitize_file("125-CV.toml").as_deref(), Some("125-CV.toml"));
        assert_eq!(sanitize_file(".."), None);
    }
}
