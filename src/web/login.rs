//! Logging in, when the page listens beyond loopback: a name and password
//! checked against `users.toml` (argon2 hashes, set with `loa user add`),
//! at most a few failures per address, a session cookie on success.

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;

use super::auth::Users;
use super::page::{csrf_field, layout};
use super::snapshot::blocking;
use super::{set_cookie, ClientIp, Ctx, WebState, SESSION_COOKIE, SESSION_IDLE_HOURS};
use crate::lang::{Lang, Localize};

#[derive(Debug, Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

/// Only a path on this site may follow a login (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

fn form(ctx: &Ctx, next: &str, problem: Option<&str>) -> maud::Markup {
    let lang = ctx.lang;
    html! {
        section.card.narrow {
            @if let Some(p) = problem { p.flash.bad #login-error { (p) } }
            form #login-form method="post" action="/login" {
                (csrf_field(ctx))
                input type="hidden" name="next" value=(next);
                label { (lang.pick("Tên đăng nhập", "User name")) br; input type="text" name="user" autocomplete="username" required autofocus; }
                label { (lang.pick("Mật khẩu", "Password")) br; input type="password" name="password" autocomplete="current-password" required; }
                button type="submit" { (lang.pick("Đăng nhập", "Log in")) }
            }
            p.muted.small { (lang.pick("Chưa có tài khoản: trên máy đài chạy  loa user add TÊN", "No account yet: on the station PC run  loa user add NAME")) }
        }
    }
}

pub(crate) async fn page(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    layout(
        &ctx,
        "",
        ctx.lang.pick("Đăng nhập", "Log in"),
        "",
        form(&ctx, &next, None),
    )
    .into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    user: String,
    password: String,
    next: Option<String>,
}

pub(crate) async fn submit(
    State(state): State<WebState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Form(f): Form<LoginForm>,
) -> Response {
    let lang = ctx.lang;
    let inner = &state.inner;
    let next = safe_next(f.next.as_deref());
    let now = inner.clock.now();
    if let Err(wait) = inner.limiter.check(ip, now) {
        let minutes = (wait.num_seconds() + 59) / 60;
        let msg = match lang {
            Lang::Vi => format!("Sai mật khẩu quá nhiều lần: thử lại sau {minutes} phút."),
            Lang::En => format!("Too many failed logins: try again in {minutes} minutes."),
        };
        let body = layout(
            &ctx,
            "",
            lang.pick("Đăng nhập", "Log in"),
            "",
            form(&ctx, &next, Some(&msg)),
        );
        return (StatusCode::TOO_MANY_REQUESTS, body).into_response();
    }
    // Counted as a failure before the slow check, so parallel attempts
    // cannot all slip past the limit; a success clears it.
    inner.limiter.record_failure(ip, now);
    let config = inner.config.clone();
    let (user, password) = (f.user.trim().to_string(), f.password);
    let name = user.clone();
    // Argon2 is slow on purpose: off the async threads.
    let verdict = blocking(move || -> Result<bool, String> {
        let station = crate::station::Station::load(&config)
            .map_err(|e| e.iter().map(|e| e.localize(lang)).collect::<Vec<_>>().join("\n"))?;
        let users = Users::load(&station.data_dir).map_err(|e| e.localize(lang))?;
        Ok(users.verify(&name, &password))
    })
    .await;
    match verdict {
        Ok(true) => {
            inner.limiter.record_success(ip);
            let session = inner.sessions.create(&user, now);
            tracing::info!(user = %user, %ip, "{}", lang.pick("đăng nhập trang web", "web login"));
            let https = ctx.https;
            let mut r = Redirect::to(&next).into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(
                    SESSION_COOKIE,
                    &session.token,
                    Some(SESSION_IDLE_HOURS * 3600),
                    https,
                ),
            );
            r
        }
        Ok(false) => {
            tracing::warn!(user = %user, %ip, "{}", lang.pick("đăng nhập sai", "failed web login"));
            let msg = lang.pick("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password.");
            let body = layout(
                &ctx,
                "",
                lang.pick("Đăng nhập", "Log in"),
                "",
                form(&ctx, &next, Some(msg)),
            );
            (StatusCode::UNAUTHORIZED, body).into_response()
        }
        Err(e) => {
            let body = layout(
                &ctx,
                "",
                lang.pick("Đăng nhập", "Log in"),
                "",
                form(&ctx, &next, Some(&e)),
            );
            (StatusCode::INTERNAL_SERVER_ERROR, body).into_response()
        }
    }
}

pub(crate) async fn logout(State(state): State<WebState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(t) = super::cookie(&headers, SESSION_COOKIE) {
        state.inner.sessions.remove(t);
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("loa_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    r
}
