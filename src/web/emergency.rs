//! "Phát khẩn cấp": play a clip at once, even outside the windows, pushing
//! the current item aside (it is made up later). Two steps: choose, then
//! confirm on a page that says what will happen. The daemon logs it as an
//! emergency airing.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;
use tokio::sync::oneshot;

use super::page::{csrf_field, layout, mmss};
use super::snapshot::for_page;
use super::{error_page, Ctx, WebState};
use crate::lang::Lang;
use crate::playout::{Command, PlayLevel};

pub(crate) async fn page(State(state): State<WebState>, ctx: Ctx) -> Response {
    let lang = ctx.lang;
    let snap = match for_page(&state, &ctx).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let content = html! {
        section.card.danger-zone {
            p { (lang.pick(
                "Phát ngay một clip ra toàn bộ hệ thống loa, kể cả ngoài khung giờ phát, dùng cho tin bão lũ, dịch bệnh, cháy nổ. Mục đang phát sẽ dừng và được phát bù sau.",
                "Play a clip on every loudspeaker at once, even outside the broadcast windows: for storm, flood, epidemic or fire warnings. The item on the air stops and is made up later.")) }
            @if snap.inputs.catalog.clips.is_empty() {
                p.muted { (lang.pick("Thư viện chưa có clip.", "The library has no clips.")) }
            } @else {
                form #emergency-form method="post" action="/emergency" {
                    (csrf_field(&ctx))
                    label { (lang.pick("Clip", "Clip")) br;
                        select name="clip" required {
                            @for (id, c) in &snap.inputs.catalog.clips {
                                option value=(id) { (id) " (" (mmss(c.duration_ms)) ")" }
                            }
                        }
                    }
                    button.danger type="submit" { (lang.pick("Tiếp tục…", "Continue…")) }
                }
            }
        }
    };
    layout(
        &ctx,
        &snap.inputs.station.name,
        lang.pick("Phát khẩn cấp", "Emergency"),
        "/emergency",
        content,
    )
    .into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct EmergencyForm {
    clip: String,
}

/// The confirmation step.
pub(crate) async fn ask(State(state): State<WebState>, ctx: Ctx, Form(f): Form<EmergencyForm>) -> Response {
    let lang = ctx.lang;
    let snap = match for_page(&state, &ctx).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let Some(clip) = snap.inputs.catalog.clips.get(&f.clip) else {
        return error_page(&ctx, StatusCode::NOT_FOUND, &no_clip(&f.clip, lang));
    };
    let content = html! {
        section.card.danger-zone {
            p.big {
                (match lang {
                    Lang::Vi => format!("Phát NGAY clip \"{}\" ({}) ra toàn bộ loa?", f.clip, mmss(clip.duration_ms)),
                    Lang::En => format!("Play \"{}\" ({}) on every loudspeaker NOW?", f.clip, mmss(clip.duration_ms)),
                })
            }
            p { (lang.pick("Mục đang phát sẽ dừng. Lượt phát được ghi vào nhật ký là phát khẩn cấp.",
                "The item on the air will stop. The airing is logged as an emergency.")) }
            form #emergency-confirm method="post" action="/emergency/confirm" {
                (csrf_field(&ctx))
                input type="hidden" name="clip" value=(f.clip);
                button.danger #confirm type="submit" { (lang.pick("Xác nhận phát ngay", "Confirm: play now")) }
                " " a.button.secondary href="/emergency" { (lang.pick("Hủy", "Cancel")) }
            }
        }
    };
    layout(
        &ctx,
        &snap.inputs.station.name,
        lang.pick("Xác nhận phát khẩn cấp", "Confirm the emergency"),
        "/emergency",
        content,
    )
    .into_response()
}

fn no_clip(id: &str, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("không có clip \"{id}\""),
        Lang::En => format!("there is no clip \"{id}\""),
    }
}

/// Asks the running daemon to play `clip` now; its answer, or why it
/// could not be asked.
pub(crate) async fn send_play(
    state: &WebState,
    clip: &str,
    level: PlayLevel,
    lang: Lang,
) -> Result<String, String> {
    let Some(commands) = &state.inner.commands else {
        return Err(lang
            .pick(
                "chương trình phát (loa run) không chạy",
                "the playout daemon (loa run) is not running",
            )
            .to_string());
    };
    let (tx, rx) = oneshot::channel();
    let cmd = Command::PlayNow {
        clip: clip.to_string(),
        level,
        reply: tx,
    };
    let stopping = lang
        .pick("chương trình phát đang dừng", "the daemon is stopping")
        .to_string();
    if commands.send(cmd).await.is_err() {
        return Err(stopping);
    }
    rx.await.unwrap_or(Err(stopping))
}

/// Sends the emergency to the daemon and says what it answered.
pub(crate) async fn confirm(
    State(state): State<WebState>,
    ctx: Ctx,
    Form(f): Form<EmergencyForm>,
) -> Response {
    let lang = ctx.lang;
    let answer = send_play(&state, &f.clip, PlayLevel::Emergency, lang).await;
    if let Ok(m) = &answer {
        tracing::warn!(clip = %f.clip, user = ?ctx.user, "{}: {m}", lang.pick("phát khẩn cấp từ trang web", "emergency from the web page"));
    }
    let station = crate::station::Station::load(&state.inner.config)
        .map(|s| s.name)
        .unwrap_or_default();
    let ok = answer.is_ok();
    let content = html! {
        p #result .flash.bad[!ok] {
            @match &answer {
                Ok(m) => { (m) }
                Err(m) => { (lang.pick("Không phát được: ", "Could not play: ")) (m) }
            }
        }
        p { a href="/" { (lang.pick("Về trang Hôm nay", "Back to Today")) } }
    };
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        layout(
            &ctx,
            &station,
            lang.pick("Phát khẩn cấp", "Emergency"),
            "/emergency",
            content,
        ),
    )
        .into_response()
}
