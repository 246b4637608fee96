//! Directives: one file in `schedules/` per document from the district or
//! province, with its number, its clips, its quotas, its fixed items and
//! its report deadlines.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::deadline::{Deadline, RawDeadline};
use crate::error::{ConfigError, Location, Problem};
use crate::fixed::{FixedItem, RawFixed};
use crate::quota::{Quota, QuotaWhat, RawQuota};
use crate::source::SourceFile;
use crate::station::Station;

/// How urgently a directive's bulletins must air.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The commune fits it into its schedule.
    Normal,
    /// Aired ahead of the commune's own items.
    Priority,
    /// Aired first of all.
    Emergency,
}

impl Level {
    /// Parses `normal|priority|emergency` (also `thường|ưu tiên|khẩn cấp`).
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_lowercase().as_str() {
            "normal" | "thường" | "bình thường" => Some(Level::Normal),
            "priority" | "ưu tiên" => Some(Level::Priority),
            "emergency" | "khẩn cấp" | "khẩn" => Some(Level::Emergency),
            _ => None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDirective {
    number: Spanned<String>,
    issuer: Option<String>,
    issued: Option<Spanned<toml::Value>>,
    subject: Option<String>,
    level: Option<Spanned<String>>,
    #[serde(default)]
    clips: Vec<Spanned<String>>,
    #[serde(default, rename = "quota")]
    quotas: Vec<Spanned<RawQuota>>,
    #[serde(default)]
    fixed: Vec<RawFixed>,
    #[serde(default, rename = "report")]
    reports: Vec<RawDeadline>,
}

/// A clip pattern as written, with where it was written.
#[derive(Debug, Clone)]
pub struct ClipPattern {
    /// The id or glob (`antq-*`).
    pub text: String,
    /// Compiled matcher.
    pub matcher: globset::GlobMatcher,
    /// Where it is written, for "matches no clip" messages.
    pub at: Location,
}

/// How a `clips` entry matches clip ids: the entry trimmed, as a glob.
/// The one place this is decided, so the library's editing of `clips`
/// agrees with what the planner will match.
pub fn clip_matcher(entry: &str) -> Result<globset::GlobMatcher, globset::Error> {
    globset::Glob::new(entry.trim()).map(|g| g.compile_matcher())
}

/// A validated directive.
#[derive(Debug, Clone)]
pub struct Directive {
    /// Number and sign, "4568/KH-BCĐ"; unique among the station's directives.
    pub number: String,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Date of issue.
    pub issued: Option<NaiveDate>,
    /// Subject line (V/v ...).
    pub subject: Option<String>,
    /// Urgency.
    pub level: Level,
    /// The clips that carry it.
    pub clips: Vec<ClipPattern>,
    /// Its quotas, airing and content.
    pub quotas: Vec<Quota>,
    /// Its fixed-time items.
    pub fixed: Vec<FixedItem>,
    /// Its report deadlines.
    pub reports: Vec<Deadline>,
    /// The file it was read from.
    pub path: PathBuf,
}

impl Directive {
    /// Reads and validates one directive file.
    pub fn load(path: &Path, station: &Station) -> Result<Directive, Vec<ConfigError>> {
        let src = SourceFile::read(path).map_err(|e| vec![e])?;
        Directive::from_source(&src, station)
    }

    /// Validates directive text; every problem found is returned.
    pub fn from_source(src: &SourceFile, station: &Station) -> Result<Directive, Vec<ConfigError>> {
        let raw: RawDirective = src.parse().map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        let number = raw.number.get_ref().trim().to_string();
        if number.is_empty() {
            errors.push(src.error_at(&raw.number, Problem::EmptyNumber));
        }
        let issued = raw
            .issued
            .as_ref()
            .and_then(|v| src.date(v).map_err(|e| errors.push(e)).ok());
        let level = match &raw.level {
            None => Level::Normal,
            Some(l) => Level::parse(l.get_ref()).unwrap_or_else(|| {
                errors.push(src.error_at(
                    l,
                    Problem::BadLevel {
                        value: l.get_ref().clone(),
                    },
                ));
                Level::Normal
            }),
        };
        let mut clips = Vec::new();
        for c in &raw.clips {
            let text = c.get_ref().trim().to_string();
            match clip_matcher(&text) {
                Ok(matcher) => clips.push(ClipPattern {
                    text,
                    matcher,
                    at: Location::at(&src.path, &src.text, c.span().start),
                }),
                Err(e) => errors.push(src.error_at(
                    c,
                    Problem::BadGlob {
                        pattern: text,
                        reason: e.kind().to_string(),
                    },
                )),
            }
        }
        let mut quotas = Vec::new();
        for q in &raw.quotas {
            match Quota::validate(q.get_ref(), src, station) {
                Ok(q) => quotas.push(q),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if raw.clips.is_empty() && quotas.iter().any(|q| q.what == QuotaWhat::Airings) {
            let first = raw.quotas.iter().find(|_| true).expect("a quota exists");
            errors.push(src.error_at(first, Problem::NoClipsListed));
        }
        let mut fixed = Vec::new();
        for f in &raw.fixed {
            match FixedItem::validate(f, src, &station.windows) {
                Ok(f) => fixed.push(f),
                Err(e) => errors.push(e),
            }
        }
        let mut reports = Vec::new();
        for r in &raw.reports {
            match Deadline::validate(r, src) {
                Ok(r) => reports.push(r),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Directive {
            number,
            issuer: raw.issuer,
            issued,
            subject: raw.subject,
            level,
            clips,
            quotas,
            fixed,
            reports,
            path: src.path.clone(),
        })
    }

    /// Whether the clip `id` carries this directive.
    pub fn uses_clip(&self, id: &str) -> bool {
        self.clips.iter().any(|p| p.matcher.is_match(id))
    }
}
