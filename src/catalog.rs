//! The clip catalog: every audio file in the station's audio folder, decoded
//! in full once and remembered in a cache keyed by file name, size and
//! modification time, so re-scanning an unchanged library is fast.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::clip::{Clip, ClipError, ClipNote, ClipProblem, ClipWarning};
use crate::probe::{extension_fits, probe, AUDIO_EXTENSIONS};

/// Name of the cache file in the station's data folder.
pub const CACHE_FILE: &str = "catalog-cache.json";
const CACHE_VERSION: u32 = 1;

/// The clips of a station, and what went wrong with the rest.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Playable clips by id.
    pub clips: BTreeMap<String, Clip>,
    /// Files that cannot be aired, with the reason.
    pub errors: Vec<ClipError>,
    /// Notes about files that still load, or were skipped.
    pub warnings: Vec<ClipWarning>,
    /// How the last scan got its answers.
    pub stats: ScanStats,
}

/// Counts from one scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Files decoded because they were new or changed.
    pub decoded: usize,
    /// Files answered from the cache.
    pub cached: usize,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    entries: BTreeMap<String, CacheEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    size: u64,
    modified_ns: u128,
    /// The decode's outcome, errors included, so a broken file is not decoded again until it changes.
    outcome: Result<Clip, ClipProblem>,
}

struct FileFacts {
    name: String,
    path: PathBuf,
    size: u64,
    modified_ns: u128,
}

impl Catalog {
    /// A catalog from clips already known (tests, benchmarks).
    pub fn from_clips(clips: impl IntoIterator<Item = Clip>) -> Catalog {
        Catalog {
            clips: clips.into_iter().map(|c| (c.id.clone(), c)).collect(),
            ..Default::default()
        }
    }

    /// Scans `audio_dir`, using and refreshing the cache in `data_dir`.
    /// `now` (RFC 3339) stamps clips seen for the first time. Returns an
    /// error only when the folder itself cannot be read; each bad file is
    /// listed in [`Catalog::errors`] and the others still load.
    pub fn scan(audio_dir: &Path, data_dir: &Path, now: &str) -> Result<Catalog, std::io::Error> {
        let cache_path = data_dir.join(CACHE_FILE);
        let cache = read_cache(&cache_path);
        let mut catalog = Catalog::default();
        let mut files = Vec::new();
        let mut listing: Vec<_> = std::fs::read_dir(audio_dir)?.collect::<Result<_, _>>()?;
        listing.sort_by_key(|e| e.file_name());
        for entry in listing {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let meta = match entry.metadata() {
                Ok(m) => m,
                Err(e) => {
                    catalog.errors.push(ClipError {
                        path,
                        problem: ClipProblem::Unreadable {
                            reason: e.to_string(),
                        },
                    });
                    continue;
                }
            };
            if name.starts_with('.') || !meta.is_file() {
                continue;
            }
            let ext = extension(&path);
            if !AUDIO_EXTENSIONS.contains(&ext.as_str()) {
                catalog.warnings.push(ClipWarning {
                    path,
                    note: ClipNote::NotAnAudioFile,
                });
                continue;
            }
            let modified_ns = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            files.push(FileFacts {
                name,
                path,
                size: meta.len(),
                modified_ns,
            });
        }

        let mut outcomes: Vec<Option<Result<Clip, ClipProblem>>> = vec![None; files.len()];
        let mut to_decode = Vec::new();
        for (i, f) in files.iter().enumerate() {
            match cache.entries.get(&f.name) {
                Some(c) if c.size == f.size && c.modified_ns == f.modified_ns => {
                    let mut outcome = c.outcome.clone();
                    if let Ok(clip) = &mut outcome {
                        clip.path = f.path.clone();
                    }
                    outcomes[i] = Some(outcome);
                    catalog.stats.cached += 1;
                }
                _ => to_decode.push(i),
            }
        }
        catalog.stats.decoded = to_decode.len();
        let decoded = decode_all(&files, &to_decode, now);
        for (i, outcome) in decoded {
            let mut outcome = outcome;
            // A clip keeps the date it was first seen across edits of its file.
            if let (Ok(clip), Some(Ok(old))) = (
                &mut outcome,
                cache.entries.get(&files[i].name).map(|c| &c.outcome),
            ) {
                clip.first_seen = old.first_seen.clone();
            }
            outcomes[i] = Some(outcome);
        }

        let mut new_cache = CacheFile {
            version: CACHE_VERSION,
            entries: BTreeMap::new(),
        };
        for (f, outcome) in files.iter().zip(outcomes) {
            let outcome = outcome.expect("every file has an outcome");
            new_cache.entries.insert(
                f.name.clone(),
                CacheEntry {
                    size: f.size,
                    modified_ns: f.modified_ns,
                    outcome: outcome.clone(),
                },
            );
            match outcome {
                Ok(clip) => {
                    let ext = extension(&f.path);
                    if !extension_fits(&ext, &clip.codec) {
                        catalog.warnings.push(ClipWarning {
                            path: f.path.clone(),
                            note: ClipNote::Mislabelled {
                                extension: ext,
                                codec: clip.codec.clone(),
                            },
                        });
                    }
                    if let Some(other) = catalog.clips.get(&clip.id) {
                        catalog.errors.push(ClipError {
                            path: f.path.clone(),
                            problem: ClipProblem::DuplicateId {
                                other: other.path.clone(),
                            },
                        });
                    } else {
                        catalog.clips.insert(clip.id.clone(), clip);
                    }
                }
                Err(problem) => catalog.errors.push(ClipError {
                    path: f.path.clone(),
                    problem,
                }),
            }
        }
        if catalog.stats.decoded > 0 || new_cache.entries.len() != cache.entries.len() {
            // The cache only saves work; failing to write it must not stop a scan.
            if let Err(e) = write_cache(&cache_path, &new_cache) {
                tracing::warn!(path = %cache_path.display(), error = %e, "cannot write the clip cache");
            }
        }
        Ok(catalog)
    }

    /// Ids of the clips a predicate accepts, in id order.
    pub fn ids_where(&self, mut keep: impl FnMut(&str) -> bool) -> Vec<&str> {
        self.clips
            .keys()
            .map(String::as_str)
            .filter(|id| keep(id))
            .collect()
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn decode_one(f: &FileFacts, now: &str) -> Result<Clip, ClipProblem> {
    let bytes = std::fs::read(&f.path).map_err(|e| ClipProblem::Unreadable {
        reason: e.to_string(),
    })?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let size = bytes.len() as u64;
    let probed = probe(bytes, &extension(&f.path))?;
    Ok(Clip {
        id: f
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: f.path.clone(),
        codec: probed.codec.to_string(),
        duration_ms: probed.duration_ms,
        sample_rate: probed.sample_rate,
        channels: probed.channels,
        sha256,
        size,
        first_seen: now.to_string(),
    })
}

/// Decodes the listed files on every core; results come back in any order.
fn decode_all(files: &[FileFacts], which: &[usize], now: &str) -> Vec<(usize, Result<Clip, ClipProblem>)> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(which.len()));
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(which.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&i) = which.get(k) else { break };
                let outcome = decode_one(&files[i], now);
                results
                    .lock()
                    .expect("no worker panics while holding the lock")
                    .push((i, outcome));
            });
        }
    });
    results.into_inner().expect("workers are done")
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn read_cache(path: &Path) -> CacheFile {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<CacheFile>(&b).ok())
        .filter(|c| c.version == CACHE_VERSION)
        .unwrap_or_default()
}

/// Writes beside the target and renames, so a crash never leaves half a cache.
fn write_cache(path: &Path, cache: &CacheFile) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // A name of its own per writer: the daemon and the web page may both
    // rescan at once, and must not rename each other's half-written file.
    static WRITER: AtomicUsize = AtomicUsize::new(0);
    let tmp = path.with_extension(format!(
        "json.{}-{}.tmp",
        std::process::id(),
        WRITER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&tmp, serde_json::to_vec(cache).map_err(std::io::Error::other)?)?;
    std::fs::rename(&tmp, path)
}
