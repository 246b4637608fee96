//! "Clip": the library. Several files are uploaded at once (drag and drop,
//! with a progress bar); each is decoded in full before it enters the
//! library, so a broken file is refused with the reason and nothing half
//! written stays in `audio/`. Clips can be listened to, assigned to a
//! directive (its TOML file gains the clip id), and removed (the file goes
//! to the trash folder; the log keeps its hash).

use axum::extract::{Multipart, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use maud::html;
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

use super::page::{csrf_field, dmy, layout, mmss};
use super::snapshot::{blocking, for_page, Snapshot};
use super::{error_page, redirect_with_flash, Ctx, WebState};
use crate::lang::{Lang, Localize};
use crate::library::{self, AddOutcome, AssignOutcome};

pub(crate) async fn page(State(state): State<WebState>, ctx: Ctx) -> Response {
    let lang = ctx.lang;
    let snap = match for_page(&state, &ctx).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let web = &state.inner.web;
    let directives = &snap.inputs.directives;
    let tz = snap.tz;
    let content = html! {
        section.card #upload {
            h2 { (lang.pick("Thêm clip", "Add clips")) }
            form #upload-form method="post" action="/clips/upload" enctype="multipart/form-data"
                data-max-file=(web.max_file_bytes) data-max-request=(web.max_request_bytes) {
                (csrf_field(&ctx))
                label #dropzone for="upload-input" {
                    strong { (lang.pick("Kéo thả tệp âm thanh vào đây", "Drop audio files here")) }
                    br;
                    span.muted { (lang.pick("hoặc bấm để chọn (MP3, M4A, WAV, OGG, FLAC; nhiều tệp một lúc)",
                        "or click to choose (MP3, M4A, WAV, OGG, FLAC; several at once)")) }
                    input #upload-input type="file" name="file" multiple accept="audio/*,.mp3,.m4a,.wav,.ogg,.oga,.flac,.aac,.mp4";
                }
                noscript { button type="submit" { (lang.pick("Tải lên", "Upload")) } }
                progress #upload-progress max="100" value="0" hidden {}
                p #upload-status.muted {}
                ul #upload-results {}
            }
            p.muted.small {
                (match lang {
                    Lang::Vi => format!("Mỗi tệp tối đa {}. Tệp được giải mã hết để kiểm tra trước khi vào thư viện.", size_text(web.max_file_bytes)),
                    Lang::En => format!("Up to {} per file. Each file is decoded in full and checked before it enters the library.", size_text(web.max_file_bytes)),
                })
            }
        }
        section.card {
            h2 { (lang.pick("Thư viện", "Library")) " (" (snap.inputs.catalog.clips.len()) ")" }
            @if snap.inputs.catalog.clips.is_empty() {
                p.muted { (lang.pick("Chưa có clip nào.", "No clips yet.")) }
            }
            table #library.responsive {
                thead { tr {
                    th { "Clip" }
                    th { (lang.pick("Dài", "Length")) }
                    th { (lang.pick("Nghe", "Listen")) }
                    th { (lang.pick("Thuộc văn bản", "Directives")) }
                    th { (lang.pick("Thao tác", "Actions")) }
                } }
                tbody {
                    @for (id, clip) in &snap.inputs.catalog.clips {
                        @let users: Vec<&crate::directive::Directive> = directives.iter().filter(|d| d.uses_clip(id)).collect();
                        tr data-clip=(id) {
                            td data-label="Clip" {
                                strong { (id) } br;
                                small.muted {
                                    (clip.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
                                    " · " (clip.codec) " · " (clip.sample_rate) " Hz"
                                    @if let Ok(seen) = chrono::DateTime::parse_from_rfc3339(&clip.first_seen) {
                                        " · " (lang.pick("thêm ", "added ")) (dmy(seen.with_timezone(&tz).date_naive()))
                                    }
                                }
                            }
                            td data-label=(lang.pick("Dài", "Length")) { (mmss(clip.duration_ms)) }
                            td data-label=(lang.pick("Nghe", "Listen")) {
                                audio data-clip=(id) controls preload="none" src={ "/audio/" (percent(id)) } {}
                            }
                            td data-label=(lang.pick("Văn bản", "Directives")) {
                                @for d in &users {
                                    div.assigned {
                                        (d.number)
                                        @if d.clips.iter().any(|p| p.text == *id) {
                                            form.inline.unassign method="post" action="/clips/unassign" {
                                                (csrf_field(&ctx))
                                                input type="hidden" name="clip" value=(id);
                                                input type="hidden" name="directive" value=(d.number);
                                                button.link type="submit" title=(lang.pick("Bỏ khỏi văn bản", "Take off the directive")) { "×" }
                                            }
                                        }
                                    }
                                }
                                @if !directives.is_empty() {
                                    form.assign.inline method="post" action="/clips/assign" data-clip=(id) {
                                        (csrf_field(&ctx))
                                        input type="hidden" name="clip" value=(id);
                                        select name="directive" aria-label=(lang.pick("Văn bản", "Directive")) {
                                            @for d in directives.iter().filter(|d| !d.uses_clip(id)) {
                                                option value=(d.number) { (d.number) }
                                            }
                                        }
                                        button type="submit" { (lang.pick("Gán", "Assign")) }
                                    }
                                }
                            }
                            td {
                                form.play.inline method="post" action="/clips/play"
                                    title=(lang.pick("Phát ngay trong buổi đang mở (sau mục đang phát)", "Play now in the open session (after the current item)")) {
                                    (csrf_field(&ctx))
                                    input type="hidden" name="clip" value=(id);
                                    button.secondary type="submit" { (lang.pick("Phát ngay", "Play now")) }
                                }
                                form.remove.inline method="post" action="/clips/remove"
                                    data-confirm=(match lang {
                                        Lang::Vi => format!("Chuyển clip \"{id}\" vào thùng rác?"),
                                        Lang::En => format!("Move clip \"{id}\" to the trash?"),
                                    }) {
                                    (csrf_field(&ctx))
                                    input type="hidden" name="clip" value=(id);
                                    button.secondary type="submit" { (lang.pick("Xóa", "Remove")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !snap.inputs.catalog.errors.is_empty() {
            section.card.warn {
                h2 { (lang.pick("Tệp trong thư mục audio không phát được", "Files in the audio folder that cannot air")) }
                ul { @for e in &snap.inputs.catalog.errors { li { (e.localize(lang)) } } }
            }
        }
    };
    layout(
        &ctx,
        &snap.inputs.station.name,
        lang.pick("Clip", "Clips"),
        "/clips",
        content,
    )
    .into_response()
}

/// Percent-encodes a clip id for a URL path.
fn percent(id: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(id, KEEP).to_string()
}

/// One file's result.
#[derive(Debug, Serialize)]
pub(crate) struct UploadResult {
    /// The name the browser sent.
    name: String,
    ok: bool,
    /// The clip id it got.
    id: Option<String>,
    message: String,
}

/// Takes one or more files (`file` fields). Answers JSON to the page's
/// script, or goes back to the library with a message without script.
pub(crate) async fn upload(
    State(state): State<WebState>,
    ctx: Ctx,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let lang = ctx.lang;
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let max_file = state.inner.web.max_file_bytes;
    let station = match crate::station::Station::load(&state.inner.config) {
        Ok(s) => s,
        Err(e) => {
            let text = e.iter().map(|e| e.localize(lang)).collect::<Vec<_>>().join("\n");
            return error_page(&ctx, StatusCode::INTERNAL_SERVER_ERROR, &text);
        }
    };
    let mut results = Vec::new();
    let mut failure: Option<(StatusCode, String)> = None;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                failure = Some((e.status(), request_problem(e.status(), &state, lang)));
                break;
            }
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        if name.is_empty() {
            continue; // an empty file input
        }
        let mut bytes = Vec::new();
        let mut too_big = false;
        loop {
            match field.chunk().await {
                Ok(Some(c)) => {
                    if too_big {
                        continue;
                    }
                    if (bytes.len() + c.len()) as u64 > max_file {
                        too_big = true;
                        bytes = Vec::new();
                    } else {
                        bytes.extend_from_slice(&c);
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    failure = Some((e.status(), request_problem(e.status(), &state, lang)));
                    break;
                }
            }
        }
        if failure.is_some() {
            break;
        }
        if too_big {
            results.push(UploadResult {
                message: match lang {
                    Lang::Vi => format!("tệp lớn hơn giới hạn {}, không nhận", size_text(max_file)),
                    Lang::En => format!("larger than the {} limit, refused", size_text(max_file)),
                },
                name,
                ok: false,
                id: None,
            });
            continue;
        }
        let _writing = state.inner.writes.lock().await;
        let audio_dir = station.audio_dir.clone();
        let raw = name.clone();
        let outcome = blocking(move || library::add_clip(&audio_dir, &raw, bytes)).await;
        results.push(match outcome {
            Ok(AddOutcome::Added(a)) => UploadResult {
                message: {
                    let mut m = match lang {
                        Lang::Vi => format!("đã thêm \"{}\" ({}, {})", a.id, a.codec, mmss(a.duration_ms)),
                        Lang::En => format!("added \"{}\" ({}, {})", a.id, a.codec, mmss(a.duration_ms)),
                    };
                    if a.renamed_from.is_some() {
                        m.push_str(&match lang {
                            Lang::Vi => format!("; lưu với tên {}", a.file_name),
                            Lang::En => format!("; saved as {}", a.file_name),
                        });
                    }
                    m
                },
                name,
                ok: true,
                id: Some(a.id),
            },
            Ok(AddOutcome::Duplicate { existing_id }) => UploadResult {
                message: match lang {
                    Lang::Vi => format!(
                        "đã có trong thư viện, cùng nội dung với \"{existing_id}\": không thêm lần nữa"
                    ),
                    Lang::En => {
                        format!("already in the library as \"{existing_id}\" (same content): not added again")
                    }
                },
                name,
                ok: true,
                id: Some(existing_id),
            },
            Err(e) => UploadResult {
                message: e.localize(lang),
                name,
                ok: false,
                id: None,
            },
        });
    }
    if let Some((status, message)) = failure {
        if wants_json {
            return (
                status,
                Json(serde_json::json!({ "error": message, "results": results })),
            )
                .into_response();
        }
        return error_page(&ctx, status, &message);
    }
    if wants_json {
        return Json(serde_json::json!({ "results": results })).into_response();
    }
    let bad = results.iter().any(|r| !r.ok);
    let text = results
        .iter()
        .map(|r| format!("{}: {}", r.name, r.message))
        .collect::<Vec<_>>()
        .join(" · ");
    redirect_with_flash("/clips", &text, bad)
}

fn request_problem(status: StatusCode, state: &WebState, lang: Lang) -> String {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        let limit = size_text(state.inner.web.max_request_bytes);
        match lang {
            Lang::Vi => format!("tổng dung lượng một lần tải vượt {limit}: chia thành nhiều lần"),
            Lang::En => format!("one upload may carry at most {limit} in all: send fewer files at a time"),
        }
    } else {
        lang.pick(
            "tải lên bị gián đoạn hoặc không hợp lệ, hãy thử lại",
            "the upload was cut off or malformed; try again",
        )
        .to_string()
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ClipForm {
    clip: String,
    #[serde(default)]
    directive: String,
}

pub(crate) async fn assign(State(state): State<WebState>, ctx: Ctx, Form(f): Form<ClipForm>) -> Response {
    edit_directive(state, ctx, f, true).await
}

pub(crate) async fn unassign(State(state): State<WebState>, ctx: Ctx, Form(f): Form<ClipForm>) -> Response {
    edit_directive(state, ctx, f, false).await
}

async fn edit_directive(state: WebState, ctx: Ctx, f: ClipForm, add: bool) -> Response {
    let lang = ctx.lang;
    let _writing = state.inner.writes.lock().await;
    let st = state.clone();
    let outcome = blocking(move || -> Result<String, String> {
        let snap = Snapshot::load(&st, lang)?;
        let Some(d) = snap.inputs.directives.iter().find(|d| d.number == f.directive) else {
            return Err(match lang {
                Lang::Vi => format!("không có văn bản \"{}\"", f.directive),
                Lang::En => format!("there is no directive \"{}\"", f.directive),
            });
        };
        let file = d.path.display().to_string();
        if add {
            match library::assign_clip(&d.path, &snap.inputs.station, &f.clip) {
                Ok(AssignOutcome::Added) => Ok(match lang {
                    Lang::Vi => format!("đã gán \"{}\" cho văn bản {} ({file})", f.clip, d.number),
                    Lang::En => format!("assigned \"{}\" to {} ({file})", f.clip, d.number),
                }),
                Ok(AssignOutcome::AlreadyCovered { pattern }) => Ok(match lang {
                    Lang::Vi => format!("văn bản {} đã dùng \"{}\" (qua mẫu {pattern})", d.number, f.clip),
                    Lang::En => format!("{} already uses \"{}\" (through {pattern})", d.number, f.clip),
                }),
                Err(e) => Err(e.localize(lang)),
            }
        } else {
            match library::unassign_clip(&d.path, &snap.inputs.station, &f.clip) {
                Ok(true) => Ok(match lang {
                    Lang::Vi => format!("đã bỏ \"{}\" khỏi văn bản {} ({file})", f.clip, d.number),
                    Lang::En => format!("took \"{}\" off {} ({file})", f.clip, d.number),
                }),
                Ok(false) => Ok(match lang {
                    Lang::Vi => format!("văn bản {} không ghi tên \"{}\"", d.number, f.clip),
                    Lang::En => format!("{} does not name \"{}\"", d.number, f.clip),
                }),
                Err(e) => Err(e.localize(lang)),
            }
        }
    })
    .await;
    match outcome {
        Ok(m) => redirect_with_flash("/clips", &m, false),
        Err(m) => redirect_with_flash("/clips", &m, true),
    }
}

pub(crate) async fn remove(State(state): State<WebState>, ctx: Ctx, Form(f): Form<ClipForm>) -> Response {
    let lang = ctx.lang;
    let _writing = state.inner.writes.lock().await;
    let st = state.clone();
    let outcome = blocking(move || -> Result<String, String> {
        let snap = Snapshot::load(&st, lang)?;
        let station = &snap.inputs.station;
        let now = snap.now.with_timezone(&snap.tz).naive_local();
        let users: Vec<&str> = snap
            .inputs
            .directives
            .iter()
            .filter(|d| d.clips.iter().any(|p| p.text == f.clip))
            .map(|d| d.number.as_str())
            .collect();
        let to = library::remove_clip(&station.audio_dir, &station.trash_dir(), &f.clip, now)
            .map_err(|e| e.localize(lang))?;
        let mut m = match lang {
            Lang::Vi => format!("đã chuyển \"{}\" vào thùng rác: {}", f.clip, to.display()),
            Lang::En => format!("moved \"{}\" to the trash: {}", f.clip, to.display()),
        };
        if !users.is_empty() {
            m.push_str(&match lang {
                Lang::Vi => format!(". Văn bản vẫn ghi tên clip này: {}", users.join(", ")),
                Lang::En => format!(". Directives still naming it: {}", users.join(", ")),
            });
        }
        Ok(m)
    })
    .await;
    match outcome {
        Ok(m) => redirect_with_flash("/clips", &m, false),
        Err(m) => redirect_with_flash("/clips", &m, true),
    }
}

/// Plays a clip now inside the open window (an officer's manual play);
/// the daemon refuses it outside the windows and says so.
pub(crate) async fn play(State(state): State<WebState>, ctx: Ctx, Form(f): Form<ClipForm>) -> Response {
    let lang = ctx.lang;
    match super::emergency::send_play(&state, &f.clip, crate::playout::PlayLevel::Manual, lang).await {
        Ok(m) => {
            tracing::info!(clip = %f.clip, user = ?ctx.user, "{}: {m}", lang.pick("phát ngay từ trang web", "play-now from the web page"));
            redirect_with_flash("/clips", &m, false)
        }
        Err(m) => redirect_with_flash(
            "/clips",
            &format!("{}{m}", lang.pick("Không phát được: ", "Could not play: ")),
            true,
        ),
    }
}

/// The clip's file, for listening in the page (range requests work, so
/// the player can seek).
pub(crate) async fn audio(
    State(state): State<WebState>,
    ctx: Ctx,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let lang = ctx.lang;
    let st = state.clone();
    let path = blocking(move || -> Option<std::path::PathBuf> {
        let station = crate::station::Station::load(&st.inner.config).ok()?;
        let now = st.inner.clock.now();
        let catalog =
            crate::catalog::Catalog::scan(&station.audio_dir, &station.data_dir, &now.to_rfc3339()).ok()?;
        catalog.clips.get(&id).map(|c| c.path.clone())
    })
    .await;
    let Some(path) = path else {
        return error_page(
            &ctx,
            StatusCode::NOT_FOUND,
            lang.pick("Không có clip này.", "No such clip."),
        );
    };
    match tower_http::services::ServeFile::new(path).oneshot(request).await {
        Ok(r) => r.into_response(),
        Err(e) => match e {},
    }
}

/// "200 MB", or "20 KB" for limits under a megabyte (tests, small PCs).
fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{} KB", bytes / 1000)
    }
}
