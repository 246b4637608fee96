//! Clips: the audio files in `audio/`, what decoding them in full taught us,
//! and what can be wrong with one.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::lang::{Lang, Localize};

/// One playable clip. Its id is the file's stem (`antq-tuan-1.mp3` is `antq-tuan-1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clip {
    /// The file stem; directives name clips by it.
    pub id: String,
    /// The file.
    pub path: PathBuf,
    /// Codec found by decoding ("mp3", "aac", "vorbis", "flac", "pcm").
    pub codec: String,
    /// Length of the decoded audio in milliseconds.
    pub duration_ms: u64,
    /// Sample rate in Hz.
    pub sample_rate: u32,
    /// Channel count.
    pub channels: u16,
    /// SHA-256 of the file's bytes, hex; the airing log records it as proof.
    pub sha256: String,
    /// File size in bytes.
    pub size: u64,
    /// When `loa` first saw this clip id (RFC 3339); content quotas count new clips by it.
    pub first_seen: String,
}

impl Clip {
    /// Duration in whole seconds, rounded up: the planner never under-books airtime.
    pub fn duration_seconds(&self) -> i64 {
        (self.duration_ms as i64 + 999) / 1000
    }
}

/// What is wrong with an audio file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClipProblem {
    /// The file could not be read.
    Unreadable { reason: String },
    /// Zero bytes.
    Empty,
    /// No known audio format inside (a text file, a picture, a video without sound).
    NotAudio { reason: String },
    /// Audio format recognised, but no decoder for its codec.
    UnsupportedCodec { reason: String },
    /// Stops before the length its header declares.
    Truncated { decoded_ms: u64, declared_ms: u64 },
    /// Decoding failed partway.
    Damaged { at_ms: u64, reason: String },
    /// Decodes to no audio at all.
    NoAudio,
    /// Two files share one id (`a.mp3` and `a.wav`).
    DuplicateId { other: PathBuf },
}

/// A note about a clip that still loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClipNote {
    /// The extension says one format, the content is another.
    Mislabelled { extension: String, codec: String },
    /// A file in the audio folder that is not audio by its extension; skipped.
    NotAnAudioFile,
}

/// A problem with one file in the audio folder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub struct ClipError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong.
    pub problem: ClipProblem,
}

fn secs(ms: u64) -> String {
    format!("{:.1}", ms as f64 / 1000.0)
}

impl Localize for ClipError {
    fn localize(&self, lang: Lang) -> String {
        use ClipProblem::*;
        let vi = lang == Lang::Vi;
        let what = match &self.problem {
            Unreadable { reason } => {
                if vi {
                    format!("không đọc được tệp: {reason}")
                } else {
                    format!("cannot read the file: {reason}")
                }
            }
            Empty => lang
                .pick("tệp rỗng (0 byte)", "the file is empty (0 bytes)")
                .to_string(),
            NotAudio { reason } => {
                if vi {
                    format!("không phải tệp âm thanh hợp lệ (MP3, WAV, OGG, FLAC, M4A): {reason}")
                } else {
                    format!("not a valid audio file (MP3, WAV, OGG, FLAC, M4A): {reason}")
                }
            }
            UnsupportedCodec { reason } => {
                if vi {
                    format!("định dạng âm thanh chưa hỗ trợ: {reason}")
                } else {
                    format!("unsupported audio codec: {reason}")
                }
            }
            Truncated {
                decoded_ms,
                declared_ms,
            } => {
                if vi {
                    format!(
                        "tệp bị cắt cụt: chỉ có {} giây trong {} giây ghi ở phần đầu tệp",
                        secs(*decoded_ms),
                        secs(*declared_ms)
                    )
                } else {
                    format!(
                        "the file is truncated: {} s of the {} s its header declares",
                        secs(*decoded_ms),
                        secs(*declared_ms)
                    )
                }
            }
            Damaged { at_ms, reason } => {
                if vi {
                    format!("tệp bị hỏng ở giây {}: {reason}", secs(*at_ms))
                } else {
                    format!("the file is damaged at {} s: {reason}", secs(*at_ms))
                }
            }
            NoAudio => lang
                .pick("tệp không chứa âm thanh nào", "the file holds no audio")
                .to_string(),
            DuplicateId { other } => {
                if vi {
                    format!(
                        "trùng mã clip với {} (mỗi clip cần một tên riêng)",
                        other.display()
                    )
                } else {
                    format!(
                        "same clip id as {} (every clip needs its own name)",
                        other.display()
                    )
                }
            }
        };
        format!("{}: {}", self.path.display(), what)
    }
}

/// A note about one file, with its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClipWarning {
    /// The file.
    pub path: PathBuf,
    /// The note.
    pub note: ClipNote,
}

impl Localize for ClipWarning {
    fn localize(&self, lang: Lang) -> String {
        let what = match &self.note {
            ClipNote::Mislabelled { extension, codec } => {
                if lang == Lang::Vi {
                    format!("đuôi tệp là .{extension} nhưng nội dung là {codec}; vẫn dùng được, nên đổi tên cho đúng")
                } else {
                    format!("the extension is .{extension} but the content is {codec}; it still plays, rename it to match")
                }
            }
            ClipNote::NotAnAudioFile => lang
                .pick(
                    "không phải tệp âm thanh theo đuôi tệp, bỏ qua",
                    "not an audio file by its extension, skipped",
                )
                .to_string(),
        };
        format!("{}: {}", self.path.display(), what)
    }
}
