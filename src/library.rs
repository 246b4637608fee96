//! The clip library: adding, removing and assigning clips (stub until the real module lands).
#![allow(missing_docs, unused_variables)]
use std::path::{Path, PathBuf};

use crate::lang::{Lang, Localize};
use crate::station::Station;

pub fn sanitize_name(raw: &str) -> Option<String> {
    Some(raw.to_string())
}
pub struct Added {
    pub id: String,
    pub file_name: String,
    pub renamed_from: Option<String>,
    pub codec: String,
    pub duration_ms: u64,
    pub sha256: String,
}
pub enum AddOutcome {
    Added(Added),
    Duplicate { existing_id: String },
}
pub fn add_clip(audio_dir: &Path, raw_name: &str, bytes: Vec<u8>) -> Result<AddOutcome, LibraryError> {
    Err(LibraryError::Stub)
}
pub fn remove_clip(
    audio_dir: &Path,
    trash_dir: &Path,
    id: &str,
    now: chrono::NaiveDateTime,
) -> Result<PathBuf, LibraryError> {
    Err(LibraryError::Stub)
}
pub enum AssignOutcome {
    Added,
    AlreadyCovered { pattern: String },
}
pub fn assign_clip(
    directive_file: &Path,
    station: &Station,
    id: &str,
) -> Result<AssignOutcome, LibraryError> {
    Err(LibraryError::Stub)
}
pub fn unassign_clip(directive_file: &Path, station: &Station, id: &str) -> Result<bool, LibraryError> {
    Err(LibraryError::Stub)
}
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("stub")]
    Stub,
}
impl Localize for LibraryError {
    fn localize(&self, _: Lang) -> String {
        "stub".into()
    }
}
