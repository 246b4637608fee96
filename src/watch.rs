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
