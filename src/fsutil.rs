//! File writes that never leave a half-written file where the daemon or an
//! officer would read it: write beside the target, flush to disk, rename.
//! Shared by the command line and the web page.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The hidden temporary name used while `path` is being written. Hidden
/// (leading dot) so the catalog and the schedules loader skip it.
pub fn temp_path_for(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.tmp"))
}

/// Replaces `path` with `bytes` in one step: a reader sees the old file or
/// the new one, never a mix, even after a power cut.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_as(path, bytes, None)
}

/// [`write_atomically`] for secrets (password hashes): the file is readable
/// and writable by its owner only from its first byte on, so no other user
/// of the PC can open it between its creation and a later `chmod`.
pub fn write_atomically_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_as(path, bytes, Some(0o600))
}

fn write_atomically_as(path: &Path, bytes: &[u8], mode: Option<u32>) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let tmp = temp_path_for(path);
    let result = (|| {
        let mut f = match mode {
            None => std::fs::File::create(&tmp)?,
            Some(mode) => {
                // A temporary left by a crash keeps its own mode if reused:
                // start from a new file, created with the mode (the umask
                // can only narrow it), then set exactly.
                match std::fs::remove_file(&tmp) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(mode)
                    .open(&tmp)?;
                f.set_permissions(std::fs::Permissions::from_mode(mode))?;
                f
            }
        };
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        std::fs::write(&p, "old").unwrap();
        write_atomically(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_private_file_is_for_its_owner_only_even_over_a_stale_temporary() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("users.toml");
        std::fs::write(temp_path_for(&p), "stale").unwrap();
        std::fs::set_permissions(temp_path_for(&p), std::fs::Permissions::from_mode(0o644)).unwrap();
        write_atomically_private(&p, b"secret").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "secret");
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(!temp_path_for(&p).exists());
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        // The target is a folder: the rename fails.
        let p = dir.path().join("taken");
        std::fs::create_dir(&p).unwrap();
        std::fs::write(p.join("x"), "keep").unwrap();
        assert!(write_atomically(&p, b"new").is_err());
        assert_eq!(std::fs::read_to_string(p.join("x")).unwrap(), "keep");
        assert!(!temp_path_for(&p).exists());
    }
}
