//! The officer's web page, served by `loa run`: today's airings, the week's
//! calendar, the clip library, the directives and their compliance, the
//! reports, the emergency button and the log.
//!
//! The page holds no state of its own. It reads the same files the daemon
//! reads (config, `schedules/`, `audio/`, the log) on every request and
//! writes the same files an officer would edit by hand; the daemon's file
//! watcher picks the changes up. The only things kept in memory are the
//! login sessions and the login rate limiter.
//!
//! Safety, in [`guard`]: on loopback (the default) there is no login; bound
//! to any other address every page needs one. Every state-changing request
//! carries a CSRF token that must match the session's (or, without a
//! session, the `loa_csrf` cookie's), and a `Host` check stops DNS
//! rebinding from reaching a loopback page through another name.

pub mod auth;
mod calendar;
mod clips;
mod directives;
mod emergency;
mod log_page;
mod login;
mod page;
mod reports;
mod snapshot;
mod today;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::sync::{mpsc, watch};

use crate::clock::Clock;
use crate::lang::Lang;
use crate::playout::{Command, Status};
use crate::station::WebConfig;
use auth::{LoginLimiter, Sessions};

/// Cookie holding the login session token.
const SESSION_COOKIE: &str = "loa_session";
/// Cookie holding the CSRF token when there is no login (loopback).
const CSRF_COOKIE: &str = "loa_csrf";
/// Cookie holding the chosen language.
const LANG_COOKIE: &str = "loa_lang";
/// Cookie carrying a one-time message to the next page (after a redirect).
const FLASH_COOKIE: &str = "loa_flash";
/// Form field and header that carry the CSRF token.
const CSRF_FIELD: &str = "csrf";
const CSRF_HEADER: &str = "x-csrf-token";
/// A urlencoded form larger than this is refused (a directive's TOML is a
/// few kilobytes; uploads are multipart and have their own limits).
const MAX_FORM_BYTES: usize = 2 << 20;
/// A login lasts this long without use.
const SESSION_IDLE_HOURS: i64 = 12;

/// Everything the handlers share.
#[derive(Clone)]
pub struct WebState {
    inner: Arc<Inner>,
}

struct Inner {
    /// The station config file; every request loads the station from it.
    config: PathBuf,
    /// Size limits and where the page listens.
    web: WebConfig,
    /// The only source of "now".
    clock: Arc<dyn Clock>,
    /// The running daemon's command channel (emergency play); `None` when
    /// the page runs without a daemon (tests).
    commands: Option<mpsc::Sender<Command>>,
    /// What the daemon is doing.
    status: watch::Receiver<Status>,
    /// Whether pages need a login: the page listens beyond loopback.
    login_required: bool,
    /// The language when the browser has not chosen one.
    default_lang: Lang,
    sessions: Sessions,
    limiter: LoginLimiter,
    /// Serialises the page's writes (uploads, directive edits), so two
    /// tabs cannot interleave edits of one file.
    writes: tokio::sync::Mutex<()>,
}

/// How the page is set up.
pub struct WebOptions {
    /// The station config file.
    pub config: PathBuf,
    /// `[web]` of the config.
    pub web: WebConfig,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// The daemon's command channel, if a daemon runs.
    pub commands: Option<mpsc::Sender<Command>>,
    /// The daemon's status, if a daemon runs.
    pub status: Option<watch::Receiver<Status>>,
    /// Language when the browser has not chosen.
    pub default_lang: Lang,
}

impl WebState {
    /// The shared state; login is required when `web.bind` is not loopback.
    pub fn new(opts: WebOptions) -> WebState {
        let status = opts.status.unwrap_or_else(|| watch::channel(Status::default()).1);
        WebState {
            inner: Arc::new(Inner {
                login_required: !opts.web.bind.ip().is_loopback(),
                config: opts.config,
                web: opts.web,
                clock: opts.clock,
                commands: opts.commands,
                status,
                default_lang: opts.default_lang,
                sessions: Sessions::new(chrono::Duration::hours(SESSION_IDLE_HOURS)),
                limiter: LoginLimiter::new(),
                writes: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// Whether every page needs a login.
    pub fn login_required(&self) -> bool {
        self.inner.login_required
    }
}

/// The page's routes, with the guard around all of them.
pub fn router(state: WebState) -> Router {
    let upload_limit = usize::try_from(state.inner.web.max_request_bytes).unwrap_or(usize::MAX);
    Router::new()
        .route("/", get(today::page))
        .route("/status.json", get(today::status_json))
        .route("/calendar", get(calendar::page))
        .route("/clips", get(clips::page))
        .route(
            "/clips/upload",
            post(clips::upload).layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route("/clips/assign", post(clips::assign))
        .route("/clips/unassign", post(clips::unassign))
        .route("/clips/remove", post(clips::remove))
        .route("/clips/play", post(clips::play))
        .route("/audio/{id}", get(clips::audio))
        .route("/directives", get(directives::page))
        .route(
            "/directives/import",
            post(directives::import).layer(axum::extract::DefaultBodyLimit::max(32 << 20)),
        )
        .route("/directives/save", post(directives::save))
        .route("/reports", get(reports::page))
        .route("/reports/download", get(reports::download))
        .route("/emergency", get(emergency::page).post(emergency::ask))
        .route("/emergency/confirm", post(emergency::confirm))
        .route("/log", get(log_page::page))
        .route("/log/export.csv", get(log_page::export_csv))
        .route("/login", get(login::page).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/assets/{name}", get(page::asset))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// Serves the page on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: WebState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// What every handler knows about the request: language, login, CSRF token.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub lang: Lang,
    /// The logged-in user, when logins are on.
    pub user: Option<String>,
    /// The token forms must carry.
    pub csrf: String,
    /// A one-time message from the previous request.
    pub flash: Option<Flash>,
    /// The path asked for, for the language switch links.
    pub path: String,
    /// The request came through a TLS proxy: cookies can be `Secure`.
    pub https: bool,
}

/// A one-time message: text and whether it reports a problem.
#[derive(Debug, Clone)]
pub(crate) struct Flash {
    pub text: String,
    pub bad: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Ctx, StatusCode> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded_pairs(query.unwrap_or("").as_bytes())
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Parses `a=b&c=d` (also the body of a urlencoded form).
fn form_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// A `Set-Cookie` value for this page's cookies.
fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("x=; Max-Age=0"))
}

/// Whether a `Host` header names this machine's loopback.
fn loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1"
    ) || name.starts_with("127.")
}

/// Runs around every request: Host check, language, login, CSRF.
async fn guard(State(state): State<WebState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let inner = &state.inner;
    let headers = &parts.headers;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string();
    // Behind a TLS proxy the cookies can be marked Secure.
    let https = headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));

    let query_lang = query_param(parts.uri.query(), "lang").and_then(|l| Lang::parse(&l));
    let lang = query_lang
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(Lang::parse))
        .unwrap_or(inner.default_lang);

    if !inner.login_required && !loopback_host(&host) {
        return (
            StatusCode::FORBIDDEN,
            lang.pick(
                "Trang này chỉ mở được trên chính máy đài (http://127.0.0.1).",
                "This page only opens on the station PC itself (http://127.0.0.1).",
            )
            .to_string(),
        )
            .into_response();
    }

    let now = inner.clock.now();
    let path = parts.uri.path().to_string();
    let public = path == "/login" || path.starts_with("/assets/");
    let session = cookie(headers, SESSION_COOKIE).and_then(|t| inner.sessions.get(t, now));
    if inner.login_required && session.is_none() && !public {
        if parts.method == Method::GET {
            let next = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            let to = format!("/login?next={}", percent_encode(next));
            return Redirect::to(&to).into_response();
        }
        return (
            StatusCode::UNAUTHORIZED,
            lang.pick("Cần đăng nhập.", "Please log in.").to_string(),
        )
            .into_response();
    }

    // The token forms must carry: the session's, or the cookie's (loopback).
    let mut new_csrf_cookie = None;
    let csrf = match &session {
        Some(s) => s.csrf.clone(),
        None => match cookie(headers, CSRF_COOKIE) {
            Some(t) if t.len() >= 32 => t.to_string(),
            _ => {
                let t = auth::new_token();
                new_csrf_cookie = Some(t.clone());
                t
            }
        },
    };

    let mut body = body;
    let changes_state = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if changes_state {
        // A request from another site carries its own Origin.
        if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
            let origin_host = origin.split_once("://").map_or(origin, |(_, h)| h);
            if origin_host != host {
                return csrf_refused(lang);
            }
        }
        let mut sent = headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| query_param(parts.uri.query(), CSRF_FIELD));
        let urlencoded = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if sent.is_none() && urlencoded {
            let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
                Ok(b) => b,
                Err(_) => {
                    return (
                        StatusCode::PAYLOAD_TOO_LARGE,
                        lang.pick("Biểu mẫu quá lớn.", "The form is too large.")
                            .to_string(),
                    )
                        .into_response()
                }
            };
            sent = form_urlencoded_pairs(&bytes)
                .into_iter()
                .find(|(k, _)| k == CSRF_FIELD)
                .map(|(_, v)| v);
            body = Body::from(bytes);
        }
        let fresh = new_csrf_cookie.is_some();
        if fresh || !sent.is_some_and(|s| auth::tokens_match(&s, &csrf)) {
            return csrf_refused(lang);
        }
    }

    let flash = cookie(headers, FLASH_COOKIE).map(|v| {
        let text = percent_decode(v);
        match text.strip_prefix('!') {
            Some(bad) => Flash {
                text: bad.to_string(),
                bad: true,
            },
            None => Flash { text, bad: false },
        }
    });
    let had_flash = flash.is_some();
    parts.extensions.insert(Ctx {
        lang,
        user: session.as_ref().map(|s| s.user.clone()),
        csrf,
        flash,
        path: path.clone(),
        https,
    });
    parts.extensions.insert(ClientIp(
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1])),
    ));
    let mut response = next.run(Request::from_parts(parts, body)).await;
    let h = response.headers_mut();
    if let Some(t) = new_csrf_cookie {
        h.append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &t, None, https));
    }
    if let Some(l) = query_lang {
        let v = match l {
            Lang::Vi => "vi",
            Lang::En => "en",
        };
        h.append(
            header::SET_COOKIE,
            set_cookie(LANG_COOKIE, v, Some(365 * 24 * 3600), https),
        );
    }
    // A flash is shown once: clear it unless the response sets a new one.
    if had_flash
        && !h
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|c| c.as_bytes().starts_with(FLASH_COOKIE.as_bytes()))
    {
        h.append(header::SET_COOKIE, set_cookie(FLASH_COOKIE, "", Some(0), https));
    }
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    response
}

/// The client's address, for the login rate limit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientIp(pub std::net::IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ClientIp, StatusCode> {
        parts
            .extensions
            .get::<ClientIp>()
            .copied()
            .ok_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

fn csrf_refused(lang: Lang) -> Response {
    (
        StatusCode::FORBIDDEN,
        lang.pick(
            "Yêu cầu bị từ chối: thiếu hoặc sai mã bảo vệ biểu mẫu (CSRF). Hãy tải lại trang rồi thử lại.",
            "Request refused: the form's protection token (CSRF) is missing or wrong. Reload the page and try again.",
        )
        .to_string(),
    )
        .into_response()
}

/// Percent-encodes everything but unreserved characters and `/`.
fn percent_encode(s: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/');
    percent_encoding::utf8_percent_encode(s, KEEP).to_string()
}

/// A redirect that carries a one-time message to the next page.
pub(crate) fn redirect_with_flash(to: &str, text: &str, bad: bool) -> Response {
    let value = percent_encode(&format!("{}{text}", if bad { "!" } else { "" }));
    let mut r = Redirect::to(to).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&format!(
            "{FLASH_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict"
        ))
        .unwrap_or_else(|_| HeaderValue::from_static("x=; Max-Age=0")),
    );
    r
}

/// An error page with a status.
pub(crate) fn error_page(ctx: &Ctx, status: StatusCode, text: &str) -> Response {
    let body = page::layout(
        ctx,
        "",
        ctx.lang.pick("Lỗi", "Error"),
        "",
        maud::html! { p.error { (page::lines(text)) } },
    );
    (status, body).into_response()
}
