//! File watching for hot reload: a change to the config, a directive or a
//! clip sends one message; the daemon re-reads and re-plans.

use std::path::Path;

use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;

/// Watches the config file's folder, the schedules and the audio folders.
/// Keep the returned watcher alive as long as changes are wanted.
pub fn watch(paths: &[&Path], changes: mpsc::Sender<()>) -> notify::Result<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            // Reading files (and the daemon's own data) is not a change.
            if matches!(event.kind, notify::EventKind::Access(_)) {
                return;
            }
            // Hidden files are the temporaries of atomic writes and uploads
            // (`.name.tmp`, `.upload-….part`): the rename or link that
            // finishes them is the change worth a reload.
            if !event.paths.is_empty() && event.paths.iter().all(|p| is_hidden(p)) {
                return;
            }
            let _ = changes.try_send(());
        }
    })?;
    for p in paths {
        if p.exists() {
            watcher.watch(p, RecursiveMode::NonRecursive)?;
        }
    }
    Ok(watcher)
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hidden_names_are_hidden() {
        assert!(is_hidden(Path::new("audio/.upload-1-0.part")));
        assert!(is_hidden(Path::new("schedules/.125.toml.tmp")));
        assert!(!is_hidden(Path::new("schedules/125.toml")));
        assert!(!is_hidden(Path::new("audio/ban-tin.mp3")));
    }
}
