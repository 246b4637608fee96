//! Everything the planner reads from disk, loaded together: the station
//! config, every directive in `schedules/`, and the clip catalog, with every
//! problem found along the way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::catalog::Catalog;
use crate::directive::Directive;
use crate::error::{ConfigError, Location, Problem};
use crate::lang::{Lang, Localize};
use crate::station::Station;

/// The loaded station.
#[derive(Debug)]
pub struct Inputs {
    /// The validated config.
    pub station: Station,
    /// The directives that validated, sorted by file name.
    pub directives: Vec<Directive>,
    /// The clips.
    pub catalog: Catalog,
    /// Directive files that did not validate (they are left out).
    pub errors: Vec<ConfigError>,
    /// Directives that load but name clips that are not there; the planner
    /// reports their quotas as short of clips.
    pub missing_clips: Vec<ConfigError>,
}

impl Inputs {
    /// Loads the station from its config file. `Err` only when the config
    /// itself is unusable; other problems are in the returned value.
    pub fn load(config: &Path, now: DateTime<Utc>) -> Result<Inputs, Vec<ConfigError>> {
        let station = Station::load(config)?;
        let (directives, mut errors) = load_directives(&station);
        let catalog =
            Catalog::scan(&station.audio_dir, &station.data_dir, &now.to_rfc3339()).map_err(|e| {
                vec![ConfigError {
                    location: Location::file(&station.audio_dir),
                    problem: Problem::Unreadable {
                        reason: e.to_string(),
                    },
                }]
            })?;
        let missing_clips = check_clip_references(&station, &directives, &catalog);
        errors.sort_by(|a, b| a.location.path.cmp(&b.location.path));
        Ok(Inputs {
            station,
            directives,
            catalog,
            errors,
            missing_clips,
        })
    }

    /// Whether nothing at all is wrong.
    pub fn all_well(&self) -> bool {
        self.errors.is_empty() && self.missing_clips.is_empty() && self.catalog.errors.is_empty()
    }

    /// Every problem as a line of text, errors first.
    pub fn problem_lines(&self, lang: Lang) -> Vec<String> {
        self.errors
            .iter()
            .map(|e| e.localize(lang))
            .chain(self.catalog.errors.iter().map(|e| e.localize(lang)))
            .chain(self.missing_clips.iter().map(|e| e.localize(lang)))
            .collect()
    }

    /// Notes that do not make the station invalid.
    pub fn warning_lines(&self, lang: Lang) -> Vec<String> {
        self.catalog.warnings.iter().map(|w| w.localize(lang)).collect()
    }
}

/// Every `*.toml` in the schedules folder, in name order.
pub fn directive_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "toml")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    Ok(files)
}

fn load_directives(station: &Station) -> (Vec<Directive>, Vec<ConfigError>) {
    let mut errors = Vec::new();
    let files = match directive_files(&station.schedules_dir) {
        Ok(f) => f,
        Err(e) => {
            errors.push(ConfigError::file(
                &station.schedules_dir,
                Problem::Unreadable {
                    reason: e.to_string(),
                },
            ));
            return (Vec::new(), errors);
        }
    };
    let mut directives: Vec<Directive> = Vec::new();
    let mut by_number: BTreeMap<String, PathBuf> = BTreeMap::new();
    for path in files {
        match Directive::load(&path, station) {
            Ok(d) => {
                if let Some(other) = by_number.get(&d.number) {
                    errors.push(ConfigError::file(
                        &path,
                        Problem::DuplicateDirective {
                            number: d.number.clone(),
                            other: other.clone(),
                        },
                    ));
                    continue;
                }
                by_number.insert(d.number.clone(), path);
                directives.push(d);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    (directives, errors)
}

fn check_clip_references(station: &Station, directives: &[Directive], catalog: &Catalog) -> Vec<ConfigError> {
    let mut out = Vec::new();
    for d in directives {
        for p in &d.clips {
            if !catalog.clips.keys().any(|id| p.matcher.is_match(id)) {
                out.push(ConfigError {
                    location: p.at.clone(),
                    problem: Problem::NoClipMatches {
                        pattern: p.text.clone(),
                    },
                });
            }
        }
    }
    let fixed = station
        .fixed
        .iter()
        .chain(directives.iter().flat_map(|d| d.fixed.iter()));
    for f in fixed {
        if !catalog.clips.contains_key(&f.clip) {
            out.push(ConfigError {
                location: f.clip_at.clone(),
                problem: Problem::UnknownClip { clip: f.clip.clone() },
            });
        }
    }
    out
}
