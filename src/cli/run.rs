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
        Ok(0)
    })
}
