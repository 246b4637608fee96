//! The clip library: what the web page does to the station's clips and to
//! the `clips` lists of its directives.
//!
//! An upload is decoded in full before anything is written, then lands under
//! its final name in one step: a hidden temporary file, flushed to disk and
//! hard-linked to the final name. A hard link fails when the name exists, so
//! no upload ever replaces another file, and no reader (the catalog, the
//! daemon) ever sees a half-written clip. Removed clips go to a trash folder,
//! never deleted. Directive files are edited with `toml_edit`, so the
//! officer's comments and an imported draft's quoted sentences survive, and
//! the edited text is validated before it replaces the file.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};
use toml_edit::{Array, DocumentMut, Item, Value};
use unicode_normalization::UnicodeNormalization;

use crate::clip::{ClipError, ClipProblem};
use crate::directive::{clip_matcher, Directive};
use crate::error::{ConfigError, Problem};
use crate::fsutil::write_atomically;
use crate::lang::{Lang, Localize};
use crate::probe::{extension_fits, probe, AUDIO_EXTENSIONS};
use crate::source::SourceFile;
use crate::station::Station;

/// Longest file name [`sanitize_name`] and [`add_clip`] produce, in bytes:
/// far below every file system's limit, and still readable in a list.
pub const MAX_NAME_BYTES: usize = 100;

/// How many numbered names (`stem-2` … ) are tried before giving up.
const MAX_SUFFIX: u32 = 9_999;

/// Uploads in this process pick their name one at a time: checking that no
/// file has the stem and linking the new one is then one step for every
/// other upload through the web page. The hard link still refuses to replace
/// a file that another process created meanwhile.
static UPLOADS: Mutex<()> = Mutex::new(());

/// Directive edits in this process read, change and write one at a time, so
/// two assignments made at once both land.
static EDITS: Mutex<()> = Mutex::new(());

/// Makes each temporary upload name unique within the process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A clip that [`add_clip`] stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// The clip id (the file stem) directives name it by.
    pub id: String,
    /// The file name in the audio folder.
    pub file_name: String,
    /// The full path of the stored file.
    pub path: PathBuf,
    /// The cleaned name that was asked for, when the stored name differs from
    /// it (extension fixed to match the content, or `-2` added because the id
    /// was taken), so the page can say so.
    pub renamed_from: Option<String>,
    /// Codec found by decoding ("mp3", "aac", "vorbis", "flac", "pcm").
    pub codec: String,
    /// Decoded length, milliseconds.
    pub duration_ms: u64,
    /// SHA-256 of the bytes, hex: the same value the catalog and the airing log carry.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// What [`add_clip`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddOutcome {
    /// The clip is stored.
    Added(Added),
    /// A clip with the same bytes is already in the library; nothing was written.
    Duplicate {
        /// The id of the clip already there.
        existing_id: String,
    },
}

/// What [`assign_clip`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssignOutcome {
    /// The id was added to the directive's `clips` and the file written.
    Added,
    /// An entry already covers the id; the file was not written.
    AlreadyCovered {
        /// The entry that matches, as written.
        pattern: String,
    },
}

/// Why a library operation did nothing.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub enum LibraryError {
    /// The file name sent leaves nothing usable once cleaned.
    BadName {
        /// The name as sent.
        raw: String,
    },
    /// The upload does not decode (or is empty); nothing was written.
    NotAudio {
        /// The cleaned file name.
        name: String,
        /// What decoding found.
        problem: ClipProblem,
    },
    /// A clip id that cannot be a file stem in the audio folder (empty,
    /// hidden, with a path separator or a control character).
    BadId {
        /// The id as given.
        id: String,
    },
    /// No clip file in the audio folder has this id.
    UnknownClip {
        /// The id asked for.
        id: String,
        /// The audio folder.
        dir: PathBuf,
    },
    /// Several files have this id (`a.mp3` and `a.wav`): which one is meant
    /// cannot be told, and the catalog already refuses the second.
    AmbiguousClip {
        /// The id asked for.
        id: String,
        /// The files that have it.
        files: Vec<PathBuf>,
    },
    /// Every numbered variant of the name is taken.
    NoFreeName {
        /// The name asked for.
        name: String,
        /// The folder.
        dir: PathBuf,
    },
    /// The directive file, or the text it would have after the edit, is not
    /// a valid directive; the file was left as it was.
    Directive(Vec<ConfigError>),
    /// Reading or writing a file failed.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LibraryError + '_ {
    move |source| LibraryError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Localize for LibraryError {
    fn localize(&self, lang: Lang) -> String {
        use LibraryError::*;
        let vi = lang == Lang::Vi;
        match self {
            BadName { raw } => {
                if vi {
                    format!("tên tệp \"{raw}\" không dùng được (rỗng, hoặc chỉ có dấu chấm và dấu cách)")
                } else {
                    format!("the file name \"{raw}\" cannot be used (empty, or only dots and spaces)")
                }
            }
            NotAudio { name, problem } => {
                let clip = ClipError {
                    path: PathBuf::from(name),
                    problem: problem.clone(),
                };
                format!(
                    "{}; {}",
                    clip.localize(lang),
                    lang.pick("chưa lưu tệp", "nothing was saved")
                )
            }
            BadId { id } => {
                if vi {
                    format!("mã clip \"{id}\" không hợp lệ (không được rỗng, chứa / hoặc \\, hay bắt đầu bằng dấu chấm)")
                } else {
                    format!("clip id \"{id}\" is not valid (it must not be empty, hold / or \\, or start with a dot)")
                }
            }
            UnknownClip { id, dir } => {
                if vi {
                    format!("{}: không có clip \"{id}\"", dir.display())
                } else {
                    format!("{}: there is no clip \"{id}\"", dir.display())
                }
            }
            AmbiguousClip { id, files } => {
                let names = files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                if vi {
                    format!("mã clip \"{id}\" ứng với nhiều tệp ({names}); hãy đổi tên hoặc xóa bớt một tệp")
                } else {
                    format!(
                        "clip id \"{id}\" belongs to several files ({names}); rename or remove one of them"
                    )
                }
            }
            NoFreeName { name, dir } => {
                if vi {
                    format!("{}: không còn tên trống cho \"{name}\"", dir.display())
                } else {
                    format!("{}: no free name left for \"{name}\"", dir.display())
                }
            }
            Directive(errors) => {
                let mut lines: Vec<String> = errors.iter().map(|e| e.localize(lang)).collect();
                lines.push(
                    lang.pick(
                        "(tệp văn bản chưa bị thay đổi)",
                        "(the directive file was left unchanged)",
                    )
                    .to_string(),
                );
                lines.join("\n")
            }
            Io { path, source } => {
                if vi {
                    format!("{}: lỗi đọc/ghi tệp: {source}", path.display())
                } else {
                    format!("{}: cannot read or write: {source}", path.display())
                }
            }
        }
    }
}

/// Characters that are not control characters to Unicode but still make a
/// name lie about itself: zero-width marks and direction overrides
/// (`bản-tin\u{202E}3pm.exe` shows as `bản-tinexe.mp3`).
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// The largest char boundary of `s` at or below `at`.
fn floor_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Splits `name` at its last dot: `("bản-tin", Some("mp3"))`. A name with no
/// dot, or only a leading one, has no extension.
fn split_extension(name: &str) -> (&str, Option<&str>) {
    match name.rfind('.') {
        Some(i) if i > 0 && i + 1 < name.len() => (&name[..i], Some(&name[i + 1..])),
        _ => (name, None),
    }
}

/// `stem` + `tail`, the stem cut (on a char boundary) so the whole stays
/// within [`MAX_NAME_BYTES`]; a cut stem loses trailing dashes and dots.
fn fit_name(stem: &str, tail: &str) -> String {
    if stem.len() + tail.len() <= MAX_NAME_BYTES {
        return format!("{stem}{tail}");
    }
    let room = MAX_NAME_BYTES.saturating_sub(tail.len());
    let cut = &stem[..floor_boundary(stem, room)];
    let trimmed = cut.trim_end_matches(['-', '.']);
    let stem = if trimmed.is_empty() { cut } else { trimmed };
    format!("{stem}{tail}")
}

/// Cleans a file name a browser sent: keeps only the last path component
/// (split on '/' and '\\'), NFC-normalises, drops control characters and
/// leading dots/spaces, turns runs of whitespace into '-', refuses "", ".",
/// "..", trims to at most 100 bytes (on a char boundary, keeping the
/// extension). None when nothing usable remains.
///
/// Trailing dots and spaces go too (Windows cannot open such names, and
/// `tin.` would have an empty extension), as do zero-width and
/// direction-override characters.
pub fn sanitize_name(raw: &str) -> Option<String> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    // Whitespace first: a tab or a newline between words is a space, not
    // something to glue the words together by dropping.
    let cleaned: String = last
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|&c| !c.is_control() && !is_invisible(c))
        .nfc()
        .collect();
    let trimmed = cleaned
        .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    let mut name = String::with_capacity(trimmed.len());
    let mut in_space = false;
    for c in trimmed.chars() {
        if c.is_whitespace() {
            if !in_space {
                name.push('-');
            }
            in_space = true;
        } else {
            name.push(c);
            in_space = false;
        }
    }
    if name.is_empty() || name == "." || name == ".." {
        return None;
    }
    if name.len() <= MAX_NAME_BYTES {
        return Some(name);
    }
    Some(match split_extension(&name) {
        // Keep a sensible extension; a "extension" half the length of the
        // name is just a dot in a long title.
        (stem, Some(ext)) if ext.len() <= 10 => fit_name(stem, &format!(".{ext}")),
        _ => fit_name(&name, ""),
    })
}

/// The extension a file of this codec usually has.
fn usual_extension(codec: &str) -> Option<&'static str> {
    match codec {
        "mp3" => Some("mp3"),
        "pcm" | "adpcm" => Some("wav"),
        "vorbis" | "opus" => Some("ogg"),
        "flac" => Some("flac"),
        "aac" => Some("m4a"),
        _ => None,
    }
}

/// Whether what follows the last dot looks like a file type (`txt`, `mp3`,
/// `bin`) rather than part of the title (`12.5.2026`, `bản.tin`): a type is
/// replaced by the right one, a title part is kept and the type appended.
fn looks_like_file_type(ext: &str) -> bool {
    (1..=4).contains(&ext.len())
        && ext.chars().all(|c| c.is_ascii_alphanumeric())
        && ext.chars().any(|c| c.is_ascii_alphabetic())
}

/// One entry of the audio folder, as the catalog would see it.
struct Listed {
    name: String,
    path: PathBuf,
    stem: String,
    is_clip: bool,
    size: u64,
}

/// The visible entries of `dir` (hidden ones are temporary files or not
/// the station's), sorted by name.
fn list_dir(dir: &Path) -> Result<Vec<Listed>, LibraryError> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let meta = entry.metadata().map_err(io(&path))?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        out.push(Listed {
            is_clip: meta.is_file() && AUDIO_EXTENSIONS.contains(&ext.as_str()),
            name,
            path,
            stem,
            size: meta.len(),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// The id of a clip whose bytes are `bytes`. Only files of the same size
/// are read, so an upload does not re-read the whole library.
fn same_bytes(listing: &[Listed], bytes: &[u8], sha256: &str) -> Option<String> {
    listing
        .iter()
        .filter(|f| f.is_clip && f.size == bytes.len() as u64)
        .find(|f| match std::fs::read(&f.path) {
            Ok(other) => sha256_hex(&other) == sha256,
            Err(e) => {
                tracing::warn!(path = %f.path.display(), error = %e, "cannot read a clip to compare it with an upload");
                false
            }
        })
        .map(|f| f.stem.clone())
}

fn sync_dir(dir: &Path) {
    // The new name is what must survive a power cut; a failure here leaves
    // the file in place, so it is worth a warning, not an error.
    if let Err(e) = File::open(dir).and_then(|d| d.sync_all()) {
        tracing::warn!(path = %dir.display(), error = %e, "cannot flush the folder to disk");
    }
}

/// A hidden temporary file, removed when dropped: every way out of
/// [`add_clip`], a panic included, takes it away.
struct TempFile {
    path: PathBuf,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.path) {
            if e.kind() != ErrorKind::NotFound {
                tracing::warn!(path = %self.path.display(), error = %e, "cannot remove a temporary upload");
            }
        }
    }
}

/// Writes `bytes` to a new hidden file in `dir` and flushes it to disk.
fn write_temp(dir: &Path, bytes: &[u8]) -> Result<TempFile, LibraryError> {
    for _ in 0..1000 {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".upload-{}-{n}.part", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                let temp = TempFile { path };
                file.write_all(bytes)
                    .and_then(|()| file.sync_all())
                    .map_err(io(&temp.path))?;
                return Ok(temp);
            }
            // Left by an earlier process with the same pid that crashed.
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(&path)(e)),
        }
    }
    Err(LibraryError::NoFreeName {
        name: ".upload-*.part".to_string(),
        dir: dir.to_path_buf(),
    })
}

/// Adds an uploaded file: decodes `bytes` in full first (type is decided by
/// decoding, never by the extension); a file that does not decode is refused
/// with the reason and nothing is written. The name: [`sanitize_name`]; if
/// the extension is missing, not an audio extension, or does not fit the
/// decoded codec, the codec's usual extension (mp3, wav, ogg, flac, m4a) is
/// used and `renamed_from` says so. Never replaces another file and never
/// creates a second clip with the same id (stem) as an existing clip file of
/// any audio extension: `stem-2`, `stem-3`, … (`renamed_from` says so). A clip with
/// the same bytes already in the folder gives [`AddOutcome::Duplicate`].
///
/// The bytes go to a hidden temporary file in `audio_dir`, flushed to disk,
/// then hard-linked to the final name (atomic, and it fails if the name
/// exists: the next suffix is tried), then the temporary is removed; on any
/// error it is removed too. A folder on a file system without hard links
/// (FAT) is refused with the system's error rather than written another way.
pub fn add_clip(audio_dir: &Path, raw_name: &str, bytes: Vec<u8>) -> Result<AddOutcome, LibraryError> {
    let asked = sanitize_name(raw_name).ok_or_else(|| LibraryError::BadName {
        raw: raw_name.to_string(),
    })?;
    if bytes.is_empty() {
        return Err(LibraryError::NotAudio {
            name: asked,
            problem: ClipProblem::Empty,
        });
    }
    let (asked_stem, asked_ext) = split_extension(&asked);
    // probe takes the bytes by value; the copy is the price of keeping its
    // signature, and uploads are a few megabytes.
    let probed = probe(bytes.clone(), asked_ext.unwrap_or("")).map_err(|problem| LibraryError::NotAudio {
        name: asked.clone(),
        problem,
    })?;
    let (stem, ext) = match asked_ext {
        Some(ext)
            if AUDIO_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
                && extension_fits(ext, probed.codec) =>
        {
            (asked_stem, ext)
        }
        _ => {
            let usual = usual_extension(probed.codec).ok_or_else(|| LibraryError::NotAudio {
                name: asked.clone(),
                problem: ClipProblem::UnsupportedCodec {
                    reason: format!("codec \"{}\" has no usual file extension", probed.codec),
                },
            })?;
            match asked_ext {
                Some(ext) if looks_like_file_type(ext) => (asked_stem, usual),
                _ => (asked.as_str(), usual),
            }
        }
    };
    let sha256 = sha256_hex(&bytes);

    let _one_at_a_time = UPLOADS.lock().unwrap_or_else(PoisonError::into_inner);
    let listing = list_dir(audio_dir)?;
    if let Some(existing_id) = same_bytes(&listing, &bytes, &sha256) {
        return Ok(AddOutcome::Duplicate { existing_id });
    }
    // Only clip files carry ids: a transcript `tin.txt` beside `tin.mp3`
    // must not push a new `tin.mp3` to `tin-2.mp3`.
    let taken: BTreeSet<&str> = listing
        .iter()
        .filter(|f| f.is_clip)
        .map(|f| f.stem.as_str())
        .collect();
    let temp = write_temp(audio_dir, &bytes)?;
    let tail = format!(".{ext}");
    let mut stored = None;
    for n in 1..=MAX_SUFFIX {
        let name = if n == 1 {
            fit_name(stem, &tail)
        } else {
            fit_name(stem, &format!("-{n}{tail}"))
        };
        let (id, _) = split_extension(&name);
        if taken.contains(id) {
            continue;
        }
        let path = audio_dir.join(&name);
        match std::fs::hard_link(&temp.path, &path) {
            Ok(()) => {
                stored = Some((name, path));
                break;
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(&path)(e)),
        }
    }
    let Some((file_name, path)) = stored else {
        return Err(LibraryError::NoFreeName {
            name: asked,
            dir: audio_dir.to_path_buf(),
        });
    };
    drop(temp);
    sync_dir(audio_dir);
    Ok(AddOutcome::Added(Added {
        id: split_extension(&file_name).0.to_string(),
        renamed_from: (file_name != asked).then_some(asked),
        file_name,
        path,
        codec: probed.codec.to_string(),
        duration_ms: probed.duration_ms,
        sha256,
        size: bytes.len() as u64,
    }))
}

/// Refuses ids that could reach outside the audio folder or name a hidden file.
fn check_id(id: &str) -> Result<(), LibraryError> {
    let bad = id.is_empty()
        || id.starts_with('.')
        || id.contains(['/', '\\'])
        || id.chars().any(|c| c.is_control());
    if bad {
        return Err(LibraryError::BadId { id: id.to_string() });
    }
    Ok(())
}

/// The one clip file in `audio_dir` whose stem is `id`.
fn clip_file(audio_dir: &Path, id: &str) -> Result<PathBuf, LibraryError> {
    check_id(id)?;
    let mut files: Vec<PathBuf> = list_dir(audio_dir)?
        .into_iter()
        .filter(|f| f.is_clip && f.stem == id)
        .map(|f| f.path)
        .collect();
    match files.len() {
        0 => Err(LibraryError::UnknownClip {
            id: id.to_string(),
            dir: audio_dir.to_path_buf(),
        }),
        1 => Ok(files.remove(0)),
        _ => Err(LibraryError::AmbiguousClip {
            id: id.to_string(),
            files,
        }),
    }
}

/// Puts `from` at `to` unless `to` exists: a hard link where the file
/// system allows it, else a copy into a new file.
fn place_without_replacing(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(e),
        // Another file system (a trash folder on another disk) or one
        // without hard links: copy into a file that must be new.
        Err(_) => {
            let mut out = OpenOptions::new().write(true).create_new(true).open(to)?;
            let copied = File::open(from)
                .and_then(|mut input| std::io::copy(&mut input, &mut out))
                .and_then(|_| out.sync_all());
            if copied.is_err() {
                let _ = std::fs::remove_file(to);
            }
            copied
        }
    }
}

/// Moves the clip's file into `trash_dir` (created if missing) as
/// "<YYYYMMDD-HHMMSS>-<file name>" from the passed-in local time, never
/// replacing a file there (`-2`, `-3`, … before the extension if needed).
/// The id must be an existing clip file's stem in `audio_dir` (exactly one
/// file); anything else (path separators, "..", unknown id) is an error.
/// Returns the new path.
pub fn remove_clip(
    audio_dir: &Path,
    trash_dir: &Path,
    id: &str,
    now: NaiveDateTime,
) -> Result<PathBuf, LibraryError> {
    let file = clip_file(audio_dir, id)?;
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::fs::create_dir_all(trash_dir).map_err(io(trash_dir))?;
    let stamp = now.format("%Y%m%d-%H%M%S");
    let (stem, ext) = split_extension(&file_name);
    let ext = ext.map(|e| format!(".{e}")).unwrap_or_default();
    for n in 1..=MAX_SUFFIX {
        let name = if n == 1 {
            format!("{stamp}-{file_name}")
        } else {
            format!("{stamp}-{stem}-{n}{ext}")
        };
        let dest = trash_dir.join(name);
        match place_without_replacing(&file, &dest) {
            Ok(()) => {
                if let Err(e) = std::fs::remove_file(&file) {
                    // Keep one copy, the one still in the library.
                    let _ = std::fs::remove_file(&dest);
                    return Err(io(&file)(e));
                }
                sync_dir(trash_dir);
                sync_dir(audio_dir);
                return Ok(dest);
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(&dest)(e)),
        }
    }
    Err(LibraryError::NoFreeName {
        name: file_name,
        dir: trash_dir.to_path_buf(),
    })
}

/// The `clips` entry that names exactly `id`: the id itself, with glob
/// characters (`[`, `*`, …) escaped so `tin[1]` does not match `tin1`.
pub fn clip_entry(id: &str) -> String {
    globset::escape(id)
}

/// A directive file's text parsed for editing.
struct Editable {
    src: SourceFile,
    doc: DocumentMut,
}

impl Editable {
    /// The edited text, with the file's own line endings: toml_edit reads
    /// "\r\n" as "\n", and a file saved from Notepad must not change on every line.
    fn text(&self) -> String {
        let text = self.doc.to_string();
        if self.src.text.contains("\r\n") {
            text.replace("\r\n", "\n").replace('\n', "\r\n")
        } else {
            text
        }
    }
}

fn read_editable(directive_file: &Path) -> Result<Editable, LibraryError> {
    let src = SourceFile::read(directive_file).map_err(|e| LibraryError::Directive(vec![e]))?;
    let doc: DocumentMut = src.text.parse().map_err(|e: toml_edit::TomlError| {
        let offset = e.span().map_or(0, |s| s.start);
        LibraryError::Directive(vec![ConfigError::at(
            &src.path,
            &src.text,
            offset,
            Problem::Syntax {
                message: e.message().trim().to_string(),
            },
        )])
    })?;
    Ok(Editable { src, doc })
}

/// The error for a `clips` that is not a list: the validator's own message
/// (with the line), else a plain one.
fn clips_not_a_list(src: &SourceFile, station: &Station) -> LibraryError {
    match Directive::from_source(src, station) {
        Err(errors) => LibraryError::Directive(errors),
        Ok(_) => LibraryError::Directive(vec![src.error(Problem::Syntax {
            message: "clips must be a list of clip ids, e.g. clips = [\"antq-*\"]".to_string(),
        })]),
    }
}

/// Validates the edited text as the file would be, then writes it in one step.
fn validate_and_write(path: &Path, text: String, station: &Station) -> Result<(), LibraryError> {
    let edited = SourceFile::new(path, text);
    Directive::from_source(&edited, station).map_err(LibraryError::Directive)?;
    write_atomically(path, edited.text.as_bytes()).map_err(io(path))
}

/// Adds clip `id` to the `clips` array of the directive file (creating the
/// array if absent), keeping every comment and the layout. If an existing
/// entry already matches the id (exact or glob, as directives match), nothing
/// is written. The edited text is validated with [`Directive::from_source`]
/// against `station` before it is written (atomically); if invalid, the
/// errors (file:line) are returned and the file is untouched.
pub fn assign_clip(
    directive_file: &Path,
    station: &Station,
    id: &str,
) -> Result<AssignOutcome, LibraryError> {
    check_id(id)?;
    let _one_at_a_time = EDITS.lock().unwrap_or_else(PoisonError::into_inner);
    let mut ed = read_editable(directive_file)?;
    let root = ed.doc.as_table_mut();
    if !root.contains_key("clips") {
        root.insert("clips", Item::Value(Value::Array(Array::new())));
    }
    let Some(Item::Value(Value::Array(clips))) = root.get_mut("clips") else {
        return Err(clips_not_a_list(&ed.src, station));
    };
    let covering = clips
        .iter()
        .filter_map(Value::as_str)
        .find(|entry| clip_matcher(entry).map(|m| m.is_match(id)).unwrap_or(false));
    if let Some(pattern) = covering {
        return Ok(AssignOutcome::AlreadyCovered {
            pattern: pattern.trim().to_string(),
        });
    }
    push_entry(clips, &clip_entry(id));
    let text = ed.text();
    validate_and_write(directive_file, text, station)?;
    Ok(AssignOutcome::Added)
}

/// Removes an exact `id` entry (the id as [`clip_entry`] writes it: an id
/// with glob characters is only exact escaped) from the directive's clips
/// array; patterns, even one spelled like the id, are left alone.
/// Same validation rules as [`assign_clip`]: removing a directive's last
/// clip while it has airing quotas is refused. `false` when no entry named
/// the id (nothing written).
pub fn unassign_clip(directive_file: &Path, station: &Station, id: &str) -> Result<bool, LibraryError> {
    check_id(id)?;
    let _one_at_a_time = EDITS.lock().unwrap_or_else(PoisonError::into_inner);
    let mut ed = read_editable(directive_file)?;
    let escaped = clip_entry(id);
    let clips = match ed.doc.as_table_mut().get_mut("clips") {
        None => return Ok(false),
        Some(Item::Value(Value::Array(clips))) => clips,
        Some(_) => return Err(clips_not_a_list(&ed.src, station)),
    };
    let exact: Vec<usize> = clips
        .iter()
        .enumerate()
        .filter(|(_, v)| v.as_str().is_some_and(|s| s.trim() == escaped))
        .map(|(i, _)| i)
        .collect();
    if exact.is_empty() {
        return Ok(false);
    }
    for &i in exact.iter().rev() {
        remove_entry(clips, i);
    }
    let text = ed.text();
    validate_and_write(directive_file, text, station)?;
    Ok(true)
}

// toml_edit reads every line break as "\n" (see `Editable::text`), so the
// decor handled below never holds "\r".

fn prefix_of(v: &Value) -> String {
    v.decor()
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or("")
        .to_string()
}

fn suffix_of(v: &Value) -> String {
    v.decor()
        .suffix()
        .and_then(|p| p.as_str())
        .unwrap_or("")
        .to_string()
}

fn trailing_of(a: &Array) -> String {
    a.trailing().as_str().unwrap_or("").to_string()
}

/// Appends `entry` in the array's own layout. In an array written one entry
/// per line the new entry gets its own line with the same indentation, and a
/// comment after the last entry stays on that entry's line.
fn push_entry(clips: &mut Array, entry: &str) {
    let mut trailing = trailing_of(clips);
    let multiline = trailing.contains('\n') || clips.iter().any(|v| prefix_of(v).contains('\n'));
    if !multiline {
        clips.push(entry);
        return;
    }
    // Without a trailing comma, the line break (and any comment) after the
    // last entry is that entry's suffix: it now goes after the new entry.
    if let Some(last) = clips.len().checked_sub(1).and_then(|i| clips.get_mut(i)) {
        let suffix = suffix_of(last);
        if suffix.contains('\n') {
            last.decor_mut().set_suffix("");
            trailing = format!("{suffix}{trailing}");
        }
    }
    let indent = (0..clips.len())
        .rev()
        .find_map(|i| {
            let p = clips.get(i).map(prefix_of).unwrap_or_default();
            p.rfind('\n').map(|at| p[at + 1..].to_string())
        })
        .unwrap_or_else(|| "    ".to_string());
    // The trailing text (after the last entry and its comma) is the rest of
    // that entry's line, then the line of the closing bracket.
    let (same_line, closing) = match trailing.rfind('\n') {
        Some(i) => (trailing[..i].to_string(), trailing[i..].to_string()),
        None => (trailing.clone(), String::new()),
    };
    let mut value = Value::from(entry);
    value.decor_mut().set_prefix(format!("{same_line}\n{indent}"));
    value.decor_mut().set_suffix("");
    clips.push_formatted(value);
    clips.set_trailing(closing);
}

/// Removes entry `i`, keeping the comments around it: in a one-per-line
/// array the comment on the removed entry's own line goes with it, comment
/// lines above it and the comment ending the line before it stay.
fn remove_entry(clips: &mut Array, i: usize) {
    let Some(removed) = clips.get(i) else {
        return;
    };
    let removed_prefix = prefix_of(removed);
    let is_last = i + 1 == clips.len();
    let next = if is_last {
        // What followed the last entry: its suffix (when there is no
        // trailing comma) and the array's trailing text.
        format!("{}{}", suffix_of(removed), trailing_of(clips))
    } else {
        clips.get(i + 1).map(prefix_of).unwrap_or_default()
    };
    clips.remove(i);
    match (removed_prefix.rfind('\n'), next.find('\n')) {
        (Some(keep_end), Some(rest_start)) => {
            let joined = format!("{}{}", &removed_prefix[..keep_end], &next[rest_start..]);
            if is_last {
                clips.set_trailing(joined);
            } else if let Some(v) = clips.get_mut(i) {
                v.decor_mut().set_prefix(joined);
            }
        }
        // On one line: the entry that moves up to first place takes the
        // removed one's spacing, so `["a", "b"]` becomes `["b"]`.
        _ if i == 0 && !is_last => {
            if let Some(v) = clips.get_mut(0) {
                v.decor_mut().set_prefix(removed_prefix);
            }
        }
        _ => {}
    }
    if clips.is_empty() {
        // `[,]` is not TOML.
        clips.set_trailing_comma(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_only_the_last_path_component() {
        assert_eq!(
            sanitize_name("../../etc/passwd.mp3").as_deref(),
            Some("passwd.mp3")
        );
        assert_eq!(
            sanitize_name("C:\\x\\Bản tin.mp3").as_deref(),
            Some("Bản-tin.mp3")
        );
        assert_eq!(sanitize_name("a/b\\c/d.wav").as_deref(), Some("d.wav"));
        assert_eq!(sanitize_name("thư mục/"), None);
    }

    #[test]
    fn sanitize_drops_leading_dots_and_refuses_what_is_left_empty() {
        assert_eq!(sanitize_name(".hidden.mp3").as_deref(), Some("hidden.mp3"));
        assert_eq!(sanitize_name(" . .tin.mp3").as_deref(), Some("tin.mp3"));
        for nothing in ["", ".", "..", "...", "   ", "\t", "\u{0}\u{7}", "../..", "tin/.."] {
            assert_eq!(sanitize_name(nothing), None, "{nothing:?}");
        }
        // Trailing dots and spaces: Windows cannot open such names.
        assert_eq!(sanitize_name("tin. ").as_deref(), Some("tin"));
    }

    #[test]
    fn sanitize_turns_whitespace_runs_into_one_dash_and_drops_control_characters() {
        assert_eq!(
            sanitize_name("Bản  tin\t sáng\u{00A0}nay.mp3").as_deref(),
            Some("Bản-tin-sáng-nay.mp3")
        );
        assert_eq!(
            sanitize_name("a\u{0}b\u{7}c\u{1b}.mp3").as_deref(),
            Some("abc.mp3")
        );
        assert_eq!(sanitize_name("tin\nmới.mp3").as_deref(), Some("tin-mới.mp3"));
        // A direction override would make the name display as something else.
        assert_eq!(sanitize_name("tin\u{202E}3pm.exe").as_deref(), Some("tin3pm.exe"));
        assert_eq!(sanitize_name("\u{FEFF}tin.mp3").as_deref(), Some("tin.mp3"));
    }

    #[test]
    fn sanitize_makes_decomposed_text_composed() {
        // "Bản tin" with the hook above as a separate mark, as macOS and many PDFs give it.
        let nfd = "Ba\u{0309}n tin thu\u{031B}\u{0301}c.mp3";
        let name = sanitize_name(nfd).unwrap();
        assert_eq!(name, "Bản-tin-thức.mp3");
        assert_eq!(name.chars().count(), "Bản-tin-thức.mp3".chars().count());
    }

    #[test]
    fn sanitize_trims_long_names_on_a_char_boundary_keeping_the_extension() {
        let long = format!("{}.mp3", "a".repeat(300));
        let name = sanitize_name(&long).unwrap();
        assert_eq!(name.len(), MAX_NAME_BYTES);
        assert!(name.ends_with("a.mp3"));

        // Two-byte letters: the cut must fall between characters.
        let long = format!("{}.flac", "ư".repeat(80));
        let name = sanitize_name(&long).unwrap();
        assert!(name.len() <= MAX_NAME_BYTES, "{}", name.len());
        assert!(name.ends_with("ư.flac"), "{name}");

        // No sensible extension: the name itself is cut.
        let long = "ả".repeat(120);
        let name = sanitize_name(&long).unwrap();
        assert_eq!(name, "ả".repeat(MAX_NAME_BYTES / "ả".len()));

        // A cut that ends on a dash does not keep it.
        let long = format!("{}-{}.mp3", "a".repeat(95), "b".repeat(50));
        assert_eq!(sanitize_name(&long).unwrap(), format!("{}.mp3", "a".repeat(95)));
    }

    #[test]
    fn numbered_names_stay_within_the_limit() {
        let stem = "ư".repeat(60);
        let name = fit_name(&stem, "-12.mp3");
        assert!(
            name.len() <= MAX_NAME_BYTES && name.ends_with("ư-12.mp3"),
            "{name}"
        );
    }

    #[test]
    fn only_a_short_alphabetic_tail_counts_as_a_file_type() {
        for t in ["txt", "mp3", "bin", "m4a", "MP3"] {
            assert!(looks_like_file_type(t), "{t}");
        }
        for t in ["2026", "bản", "verylong", ""] {
            assert!(!looks_like_file_type(t), "{t}");
        }
    }

    #[test]
    fn an_id_with_glob_characters_is_written_so_it_matches_only_itself() {
        let entry = clip_entry("tin[1]");
        let m = clip_matcher(&entry).unwrap();
        assert!(m.is_match("tin[1]"));
        assert!(!m.is_match("tin1"));
        assert_eq!(clip_entry("antq-tuan-1"), "antq-tuan-1");
    }

    fn edit(text: &str, f: impl FnOnce(&mut Array)) -> String {
        let mut doc: DocumentMut = text.parse().unwrap();
        let Some(Item::Value(Value::Array(a))) = doc.as_table_mut().get_mut("clips") else {
            panic!("no clips in {text}");
        };
        f(a);
        let out = doc.to_string();
        // Whatever the layout, the result must still be TOML.
        out.parse::<DocumentMut>()
            .unwrap_or_else(|e| panic!("{out}\n{e}"));
        out
    }

    #[test]
    fn pushing_follows_the_array_layout() {
        let one_line = "clips = [\"a\", \"b\"]   # ghi chú\n";
        assert_eq!(
            edit(one_line, |a| push_entry(a, "c")),
            "clips = [\"a\", \"b\", \"c\"]   # ghi chú\n"
        );
        assert_eq!(
            edit("clips = []   # ĐIỀN\n", |a| push_entry(a, "c")),
            "clips = [\"c\"]   # ĐIỀN\n"
        );
        let per_line = "clips = [\n  \"a\", # về a\n  \"b\", # về b\n]\n";
        assert_eq!(
            edit(per_line, |a| push_entry(a, "c")),
            "clips = [\n  \"a\", # về a\n  \"b\", # về b\n  \"c\",\n]\n"
        );
        let no_comma = "clips = [\n    \"a\",\n    \"b\"\n]\n";
        assert_eq!(
            edit(no_comma, |a| push_entry(a, "c")),
            "clips = [\n    \"a\",\n    \"b\",\n    \"c\"\n]\n"
        );
        let commented = "clips = [\n    \"a\" # về a\n]\n";
        assert_eq!(
            edit(commented, |a| push_entry(a, "c")),
            "clips = [\n    \"a\", # về a\n    \"c\"\n]\n"
        );
    }

    #[test]
    fn removing_keeps_the_comments_of_the_other_entries() {
        let one_line = "clips = [\"a\", \"b\", \"c\"]\n";
        assert_eq!(edit(one_line, |a| remove_entry(a, 0)), "clips = [\"b\", \"c\"]\n");
        assert_eq!(edit(one_line, |a| remove_entry(a, 1)), "clips = [\"a\", \"c\"]\n");
        assert_eq!(edit(one_line, |a| remove_entry(a, 2)), "clips = [\"a\", \"b\"]\n");
        assert_eq!(edit("clips = [\"a\",]\n", |a| remove_entry(a, 0)), "clips = []\n");
        let no_comma = "clips = [\n  \"a\",\n  \"b\" # về b\n]\n";
        assert_eq!(edit(no_comma, |a| remove_entry(a, 1)), "clips = [\n  \"a\"\n]\n");
        assert_eq!(
            edit(no_comma, |a| remove_entry(a, 0)),
            "clips = [\n  \"b\" # về b\n]\n"
        );

        let per_line =
            "clips = [ # danh sách\n  \"a\", # về a\n  # nhóm hai\n  \"b\", # về b\n  \"c\", # về c\n]\n";
        assert_eq!(
            edit(per_line, |a| remove_entry(a, 0)),
            "clips = [ # danh sách\n  # nhóm hai\n  \"b\", # về b\n  \"c\", # về c\n]\n"
        );
        assert_eq!(
            edit(per_line, |a| remove_entry(a, 1)),
            "clips = [ # danh sách\n  \"a\", # về a\n  # nhóm hai\n  \"c\", # về c\n]\n"
        );
        assert_eq!(
            edit(per_line, |a| remove_entry(a, 2)),
            "clips = [ # danh sách\n  \"a\", # về a\n  # nhóm hai\n  \"b\", # về b\n]\n"
        );
    }
}
