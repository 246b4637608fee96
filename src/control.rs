//! The local control channel: a Unix socket in the data folder, readable
//! and writable by the station's user only, through which `loa play-now`
//! reaches the running daemon. Nothing listens on the network.
//!
//! Protocol: one JSON object per line each way. Request
//! `{"play_now": "clip-id", "level": "manual"|"emergency"}`, answer
//! `{"ok": true, "message": "..."}` or `{"ok": false, "message": "..."}`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{mpsc, oneshot};

use crate::playout::{Command, PlayLevel};

/// The socket's file name in the data folder.
pub const SOCKET_FILE: &str = "loa.sock";

/// Where the daemon of a station listens.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET_FILE)
}

#[derive(Debug, Serialize, Deserialize)]
struct Request {
    play_now: String,
    #[serde(default)]
    level: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Answer {
    ok: bool,
    message: String,
}

/// Listens on the socket and forwards requests to the daemon.
pub async fn serve(path: PathBuf, commands: mpsc::Sender<Command>) -> std::io::Result<()> {
    // A socket left by a daemon that was killed would block the bind.
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    loop {
        let (stream, _) = listener.accept().await?;
        let commands = commands.clone();
        tokio::spawn(async move {
            if let Err(e) = handle(stream, commands).await {
                tracing::warn!(error = %e, "control connection");
            }
        });
    }
}

async fn handle(stream: UnixStream, commands: mpsc::Sender<Command>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    while let Some(line) = lines.next_line().await? {
        let answer = match serde_json::from_str::<Request>(&line) {
            Err(e) => Answer {
                ok: false,
                message: format!("bad request: {e}"),
            },
            Ok(req) => {
                let level = match req.level.as_deref() {
                    Some("emergency") => PlayLevel::Emergency,
                    _ => PlayLevel::Manual,
                };
                let (tx, rx) = oneshot::channel();
                let cmd = Command::PlayNow {
                    clip: req.play_now,
                    level,
                    reply: tx,
                };
                if commands.send(cmd).await.is_err() {
                    Answer {
                        ok: false,
                        message: "the daemon is stopping".into(),
                    }
                } else {
                    match rx.await {
                        Ok(Ok(message)) => Answer { ok: true, message },
                        Ok(Err(message)) => Answer { ok: false, message },
                        Err(_) => Answer {
                            ok: false,
                            message: "the daemon is stopping".into(),
                        },
                    }
                }
            }
        };
        let mut text = serde_json::to_string(&answer).unwrap_or_default();
        text.push('\n');
        write.write_all(text.as_bytes()).await?;
    }
    Ok(())
}

/// Sends a play-now request to the daemon at `path`; the daemon's answer,
/// or the reason it could not be reached.
pub async fn play_now(path: &Path, clip: &str, emergency: bool) -> Result<(bool, String), std::io::Error> {
    let stream = UnixStream::connect(path).await?;
    let (read, mut write) = stream.into_split();
    let req = Request {
        play_now: clip.to_string(),
        level: Some(if emergency { "emergency" } else { "manual" }.to_string()),
    };
    let mut text = serde_json::to_string(&req).map_err(std::io::Error::other)?;
    text.push('\n');
    write.write_all(text.as_bytes()).await?;
    let mut lines = BufReader::new(read).lines();
    let line = lines.next_line().await?.unwrap_or_default();
    let answer: Answer = serde_json::from_str(&line).map_err(std::io::Error::other)?;
    Ok((answer.ok, answer.message))
}
