//! `loa run`: the playout daemon, with its control socket, file watching
//! and clean shutdown on SIGTERM or Ctrl-C.

use std::path::Path;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use super::Context;
use crate::clock::SystemClock;
use crate::lang::Lang;
use crate::playout::{Channels, Daemon, Options};

pub(super) fn run(config: &Path, _ctx: &Context, lang: Lang) -> anyhow::Result<i32> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let host = hostname::get()
            .map(|h| h.to_string_lossy().into_owned())
            .unwrap_or_default();
        let daemon = Daemon::new(
            Options {
                config: config.to_path_buf(),
                lang,
                host,
            },
            Arc::new(SystemClock),
        )?;
        let station = &daemon.inputs().station;
        let (command_tx, commands) = mpsc::channel(8);
        let (change_tx, changes) = mpsc::channel(64);
        let (stop_tx, shutdown) = oneshot::channel();
        let config_dir = config
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let _watcher = crate::watch::watch(
            &[config_dir, &station.schedules_dir, &station.audio_dir],
            change_tx,
        )?;
        let socket = crate::control::socket_path(&station.data_dir);
        let (web_stop_tx, web_stop) = tokio::sync::watch::channel(false);
        if station.web.enabled {
            start_web(
                config,
                station,
                command_tx.clone(),
                daemon.status(),
                lang,
                web_stop,
            )
            .await;
        }
        tokio::spawn(async move {
            if let Err(e) = crate::control::serve(socket, command_tx).await {
                tracing::error!(error = %e, "control socket");
            }
        });
        tokio::spawn(async move {
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("SIGTERM handler");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            let _ = stop_tx.send(());
        });
        // `cargo run` passes the tests' ALSA config (.cargo/config.toml): say
        // so, or a developer would wonder why the speakers stay silent.
        if let Ok(alsa) = std::env::var("ALSA_CONFIG_PATH") {
            if alsa.ends_with("tests/alsa/asound.conf") {
                tracing::warn!(
                    "{}",
                    lang.pick(
                        "đang phát vào thiết bị thử nghiệm (ALSA_CONFIG_PATH của cargo), không ra loa; chạy trực tiếp target/release/loa run",
                        "playing into the test capture device (cargo's ALSA_CONFIG_PATH), not the speakers; run target/release/loa run directly"
                    )
                );
            }
        }
        tracing::info!(station = %station.name, "{}", lang.pick("bắt đầu phát tự động", "playout started"));
        daemon
            .run(Channels {
                commands,
                changes,
                shutdown,
            })
            .await?;
        let _ = web_stop_tx.send(true);
        Ok(0)
    })
}

/// Starts the web page beside the daemon. A page that cannot start (the
/// port is taken, logins are needed and no user exists) is logged and left
/// out: the loudspeakers keep to their calendar either way.
async fn start_web(
    config: &Path,
    station: &crate::station::Station,
    commands: mpsc::Sender<crate::playout::Command>,
    status: tokio::sync::watch::Receiver<crate::playout::Status>,
    lang: Lang,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    use crate::lang::Localize;
    let bind = station.web.bind;
    let state = crate::web::WebState::new(crate::web::WebOptions {
        config: config.to_path_buf(),
        web: station.web.clone(),
        clock: Arc::new(SystemClock),
        commands: Some(commands),
        status: Some(status),
        default_lang: lang,
    });
    if state.login_required() {
        match crate::web::auth::Users::load(&station.data_dir) {
            Ok(users) if users.is_empty() => {
                tracing::error!(
                    "{}",
                    match lang {
                        Lang::Vi => format!("trang web không mở: địa chỉ {bind} nằm ngoài máy này nên cần đăng nhập, mà chưa có tài khoản nào; chạy  loa user add TÊN  rồi khởi động lại"),
                        Lang::En => format!("the web page is not served: {bind} reaches beyond this PC, so it needs a login and no user exists; run  loa user add NAME  and restart"),
                    }
                );
                return;
            }
            Ok(_) => {}
            Err(e) => {
                tracing::error!("{}", e.localize(lang));
                return;
            }
        }
    }
    let listener = match tokio::net::TcpListener::bind(bind).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(
                "{}",
                match lang {
                    Lang::Vi =>
                        format!("trang web không mở được tại {bind}: {e} ([web] bind trong cấu hình)"),
                    Lang::En =>
                        format!("the web page cannot listen on {bind}: {e} ([web] bind in the config)"),
                }
            );
            return;
        }
    };
    let addr = listener.local_addr().unwrap_or(bind);
    tracing::info!(
        "{}: http://{addr}/{}",
        lang.pick("trang web", "web page"),
        if state.login_required() {
            lang.pick(" (cần đăng nhập)", " (login required)")
        } else {
            ""
        }
    );
    tokio::spawn(async move {
        let shutdown = async move {
            let _ = stop.wait_for(|s| *s).await;
        };
        if let Err(e) = crate::web::serve(listener, state, shutdown).await {
            tracing::error!(error = %e, "web");
        }
    });
}
