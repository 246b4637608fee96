//! The frame every page shares (header, navigation, language switch), the
//! static assets (one stylesheet, one script: no CDN, the page works with
//! no internet), and small formatting helpers.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, TimeZone};
use maud::{html, Markup, DOCTYPE};

use super::Ctx;
use crate::lang::Lang;

const STYLE: &str = include_str!("assets/style.css");
const SCRIPT: &str = include_str!("assets/app.js");

/// The pages in the navigation: path, Vietnamese and English label.
const NAV: &[(&str, &str, &str)] = &[
    ("/", "Hôm nay", "Today"),
    ("/calendar", "Lịch", "Calendar"),
    ("/clips", "Clip", "Clips"),
    ("/directives", "Văn bản", "Directives"),
    ("/reports", "Báo cáo", "Reports"),
    ("/emergency", "Phát khẩn cấp", "Emergency"),
    ("/log", "Nhật ký", "Log"),
];

/// The whole page around `content`.
pub(crate) fn layout(ctx: &Ctx, station: &str, title: &str, active: &str, content: Markup) -> Markup {
    let lang = ctx.lang;
    html! {
        (DOCTYPE)
        html lang=(match lang { Lang::Vi => "vi", Lang::En => "en" }) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="csrf-token" content=(ctx.csrf);
                title { (title) " · loa" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    div.brand {
                        span.logo { "loa" }
                        @if !station.is_empty() { span.station { (station) } }
                    }
                    nav {
                        @for (href, vi, en) in NAV {
                            a href=(href) class=[(*href == active).then_some("active")]
                                class=[(*href == "/emergency").then_some("danger")] {
                                (lang.pick(vi, en))
                            }
                        }
                    }
                    div.tools {
                        a href={ (ctx.path) "?lang=vi" } class=[(lang == Lang::Vi).then_some("active")] { "VI" }
                        " · "
                        a href={ (ctx.path) "?lang=en" } class=[(lang == Lang::En).then_some("active")] { "EN" }
                        @if let Some(user) = &ctx.user {
                            form.inline method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(ctx.csrf);
                                button.link type="submit" { (lang.pick("Đăng xuất", "Log out")) " (" (user) ")" }
                            }
                        }
                    }
                }
                main {
                    h1 { (title) }
                    @if let Some(f) = &ctx.flash {
                        p.flash.bad[f.bad] role="status" { (f.text) }
                    }
                    (content)
                }
            }
        }
    }
}

/// The hidden CSRF field every form carries.
pub(crate) fn csrf_field(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="csrf" value=(ctx.csrf); }
}

/// Serves the stylesheet and the script.
pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "style.css" => (STYLE, "text/css; charset=utf-8"),
        "app.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "no-cache")],
        body,
    )
        .into_response()
}

/// "HH:MM" in station time.
pub(crate) fn hm<Tz: TimeZone>(t: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    t.format("%H:%M").to_string()
}

/// "HH:MM:SS" in station time.
pub(crate) fn hms<Tz: TimeZone>(t: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    t.format("%H:%M:%S").to_string()
}

/// A date the way the officer writes it: 28/09/2026.
pub(crate) fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The weekday's short name: T2..T7, CN / Mon..Sun.
pub(crate) fn weekday(d: NaiveDate, lang: Lang) -> &'static str {
    use chrono::Datelike;
    let i = d.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Vi => ["T2", "T3", "T4", "T5", "T6", "T7", "CN"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

/// m:ss of a length in milliseconds.
pub(crate) fn mmss(ms: u64) -> String {
    let s = ms.div_ceil(1000);
    format!("{}:{:02}", s / 60, s % 60)
}

/// Text with line breaks kept.
pub(crate) fn lines(text: &str) -> Markup {
    html! {
        @for (i, l) in text.lines().enumerate() {
            @if i > 0 { br; }
            (l)
        }
    }
}
