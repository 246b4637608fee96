//! The station: its name, time zone, folders, broadcast windows, caps and
//! its own fixed items, read from `config/loa.toml` in two stages (raw serde
//! types, then validated types the rest of the program relies on).

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{ConfigError, Problem};
use crate::fixed::{FixedItem, RawFixed};
use crate::player::OutputConfig;
use crate::source::SourceFile;
use crate::window::{parse_day, parse_time, DaySet, MonthDay, Season, Window};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    station: RawStation,
    #[serde(default, rename = "window")]
    windows: Vec<RawWindow>,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default, rename = "fixed")]
    fixed: Vec<RawFixed>,
    #[serde(default)]
    output: RawOutput,
    #[serde(default)]
    web: RawWeb,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeb {
    enabled: Option<bool>,
    bind: Option<Spanned<String>>,
    max_file_mb: Option<Spanned<i64>>,
    max_request_mb: Option<Spanned<i64>>,
}

/// The officer's web page, served by `loa run` (`[web]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebConfig {
    /// Whether `loa run` serves the page at all.
    pub enabled: bool,
    /// Where it listens; loopback needs no login, any other address does.
    pub bind: std::net::SocketAddr,
    /// The largest clip one upload may carry, in bytes.
    pub max_file_bytes: u64,
    /// The largest upload request (several files at once), in bytes.
    pub max_request_bytes: u64,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            enabled: true,
            bind: std::net::SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_file_bytes: 200 << 20,
            max_request_bytes: 1024 << 20,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    device: Option<String>,
    buffer_ms: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStation {
    name: String,
    timezone: Option<Spanned<String>>,
    audio_dir: Option<String>,
    schedules_dir: Option<String>,
    data_dir: Option<String>,
    issuer: Option<String>,
    place: Option<String>,
    signer: Option<String>,
    signer_title: Option<String>,
    issuer_parent: Option<String>,
    report_sign: Option<String>,
    recipients: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWindow {
    name: Spanned<String>,
    start: Spanned<String>,
    end: Spanned<String>,
    days: Option<Vec<Spanned<String>>>,
    season: Option<RawSeason>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeason {
    from: Spanned<String>,
    until: Spanned<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_sessions_per_day: Option<Spanned<i64>>,
    max_minutes_per_session: Option<Spanned<i64>>,
    gap_seconds: Option<Spanned<i64>>,
}

/// Caps on airtime that provinces set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// At most this many sessions (windows with anything in them) a day.
    pub max_sessions_per_day: Option<u32>,
    /// At most this much airtime (clips and gaps) in one session, seconds.
    pub max_seconds_per_session: Option<i64>,
    /// Silence between two items, seconds.
    pub gap_seconds: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_sessions_per_day: None,
            max_seconds_per_session: None,
            gap_seconds: DEFAULT_GAP_SECONDS,
        }
    }
}

/// Silence between items when the config does not say.
pub const DEFAULT_GAP_SECONDS: i64 = 2;

/// Who signs the station's reports (used by the report issue).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Letterhead {
    /// The issuing body ("UBND XÃ MINH TÂN").
    pub issuer: Option<String>,
    /// The place in the date line ("Minh Tân").
    pub place: Option<String>,
    /// The signer's name.
    pub signer: Option<String>,
    /// The signer's title.
    pub signer_title: Option<String>,
    /// The body above the issuer ("UBND HUYỆN TRIỆU SƠN"), the first line of
    /// a Decree 30 letterhead.
    pub issuer_parent: Option<String>,
    /// The sign after "Số: …/" on reports ("BC-UBND").
    pub report_sign: Option<String>,
    /// Who receives the report ("Như trên", "Ban Chỉ đạo 138 huyện"); the
    /// report always adds the archive line ("Lưu: VT") itself.
    pub recipients: Vec<String>,
}

/// A validated station config.
#[derive(Debug, Clone)]
pub struct Station {
    /// Station name, printed on reports.
    pub name: String,
    /// All times in schedules are in this zone.
    pub timezone: Tz,
    /// Where the clips are.
    pub audio_dir: PathBuf,
    /// Where the directive files are.
    pub schedules_dir: PathBuf,
    /// Where `loa` keeps its own state (catalog cache, later the log).
    pub data_dir: PathBuf,
    /// The broadcast windows, in the order written.
    pub windows: Vec<Window>,
    /// Airtime caps.
    pub limits: Limits,
    /// Station-wide fixed items (ident, relays), not tied to a directive.
    pub fixed: Vec<FixedItem>,
    /// Report signature details.
    pub letterhead: Letterhead,
    /// The sound output the daemon plays to.
    pub output: OutputConfig,
    /// The web page.
    pub web: WebConfig,
    /// The config file itself.
    pub config_path: PathBuf,
}

impl Station {
    /// Reads and validates a config file; folders are relative to it.
    pub fn load(path: &Path) -> Result<Station, Vec<ConfigError>> {
        let src = SourceFile::read(path).map_err(|e| vec![e])?;
        Station::from_source(&src)
    }

    /// Validates config text; every problem found is returned, not just the first.
    pub fn from_source(src: &SourceFile) -> Result<Station, Vec<ConfigError>> {
        let raw: RawConfig = src.parse().map_err(|e| vec![e])?;
        let mut errors = Vec::new();

        let timezone = match &raw.station.timezone {
            None => chrono_tz::Asia::Ho_Chi_Minh,
            Some(tz) => tz.get_ref().trim().parse::<Tz>().unwrap_or_else(|_| {
                errors.push(src.error_at(
                    tz,
                    Problem::BadTimezone {
                        value: tz.get_ref().clone(),
                    },
                ));
                chrono_tz::Asia::Ho_Chi_Minh
            }),
        };

        let mut windows: Vec<Window> = Vec::new();
        let mut window_spans = Vec::new();
        for rw in &raw.windows {
            match validate_window(rw, src) {
                Ok(w) => {
                    if windows.iter().any(|o| o.name == w.name) {
                        errors
                            .push(src.error_at(&rw.name, Problem::DuplicateWindow { name: w.name.clone() }));
                        continue;
                    }
                    if let Some(o) = windows.iter().find(|o| o.overlaps(&w)) {
                        errors.push(src.error_at(
                            &rw.name,
                            Problem::OverlappingWindows {
                                first: o.name.clone(),
                                second: w.name.clone(),
                            },
                        ));
                        continue;
                    }
                    windows.push(w);
                    window_spans.push(rw.name.span());
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        if raw.windows.is_empty() {
            errors.push(src.error(Problem::NoWindows));
        }
        windows.sort_by_key(|w| w.start);

        let limits = validate_limits(&raw.limits, src, &mut errors);
        let mut output = OutputConfig::default();
        if let Some(d) = &raw.output.device {
            output.device = d.trim().to_string();
        }
        if let Some(b) = &raw.output.buffer_ms {
            match src.count("buffer_ms", b, 2) {
                Ok(v) => output.buffer_ms = v.min(2000),
                Err(e) => errors.push(e),
            }
        }

        let web = validate_web(&raw.web, src, &mut errors);

        let mut fixed = Vec::new();
        for rf in &raw.fixed {
            match FixedItem::validate(rf, src, &windows) {
                Ok(f) => fixed.push(f),
                Err(e) => errors.push(e),
            }
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        let base = src.path.parent().unwrap_or(Path::new("."));
        let dir = |v: &Option<String>, default: &str| normalize(&base.join(v.as_deref().unwrap_or(default)));
        Ok(Station {
            name: raw.station.name.trim().to_string(),
            timezone,
            audio_dir: dir(&raw.station.audio_dir, "../audio"),
            schedules_dir: dir(&raw.station.schedules_dir, "../schedules"),
            data_dir: dir(&raw.station.data_dir, "../data"),
            windows,
            limits,
            fixed,
            output,
            web,
            letterhead: Letterhead {
                issuer: raw.station.issuer,
                place: raw.station.place,
                signer: raw.station.signer,
                signer_title: raw.station.signer_title,
                issuer_parent: raw.station.issuer_parent,
                report_sign: raw.station.report_sign,
                recipients: raw.station.recipients.unwrap_or_default(),
            },
            config_path: src.path.clone(),
        })
    }

    /// The folder removed clips are moved to (never deleted: the log
    /// still names them by hash).
    pub fn trash_dir(&self) -> PathBuf {
        self.data_dir.join("trash")
    }

    /// The index of the window called `name`.
    pub fn window_index(&self, name: &str) -> Option<usize> {
        self.windows.iter().position(|w| w.name == name)
    }
}

/// Removes `.` and `dir/..` pairs without touching the disk, so messages
/// show `audio/x.mp3` rather than `config/../audio/x.mp3`.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            Component::ParentDir if matches!(out.last(), Some(Component::RootDir)) => {}
            c => out.push(c),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

fn validate_window(rw: &RawWindow, src: &SourceFile) -> Result<Window, Vec<ConfigError>> {
    let mut errors = Vec::new();
    let time = |v: &Spanned<String>, errors: &mut Vec<ConfigError>| {
        parse_time(v.get_ref()).or_else(|| {
            errors.push(src.error_at(
                v,
                Problem::BadTime {
                    value: v.get_ref().clone(),
                },
            ));
            None
        })
    };
    let start = time(&rw.start, &mut errors);
    let end = time(&rw.end, &mut errors);
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            errors.push(src.error_at(
                &rw.end,
                Problem::EndNotAfterStart {
                    start: rw.start.get_ref().clone(),
                    end: rw.end.get_ref().clone(),
                },
            ));
        }
    }
    let days = match &rw.days {
        None => DaySet::ALL,
        Some(list) => {
            let mut set = DaySet::NONE;
            for d in list {
                match parse_day(d.get_ref()) {
                    Some(day) => set = set.with(day),
                    None => errors.push(src.error_at(
                        d,
                        Problem::BadDay {
                            value: d.get_ref().clone(),
                        },
                    )),
                }
            }
            set
        }
    };
    let season = rw.season.as_ref().and_then(|s| {
        let md = |v: &Spanned<String>, errors: &mut Vec<ConfigError>| {
            MonthDay::parse(v.get_ref()).or_else(|| {
                errors.push(src.error_at(
                    v,
                    Problem::BadMonthDay {
                        value: v.get_ref().clone(),
                    },
                ));
                None
            })
        };
        let from = md(&s.from, &mut errors);
        let until = md(&s.until, &mut errors);
        Some(Season {
            from: from?,
            until: until?,
        })
    });
    match (start, end) {
        (Some(start), Some(end)) if errors.is_empty() => Ok(Window {
            name: rw.name.get_ref().trim().to_string(),
            start,
            end,
            days,
            season,
        }),
        _ => Err(errors),
    }
}

fn validate_limits(raw: &RawLimits, src: &SourceFile, errors: &mut Vec<ConfigError>) -> Limits {
    let positive = |name: &str, v: &Option<Spanned<i64>>, min: i64, errors: &mut Vec<ConfigError>| {
        v.as_ref().and_then(|v| {
            if *v.get_ref() < min {
                errors.push(src.error_at(
                    v,
                    Problem::BadLimit {
                        name: name.to_string(),
                        value: *v.get_ref(),
                    },
                ));
                None
            } else {
                Some(*v.get_ref())
            }
        })
    };
    Limits {
        max_sessions_per_day: positive("max_sessions_per_day", &raw.max_sessions_per_day, 1, errors)
            .map(|v| v.min(i64::from(u32::MAX)) as u32),
        max_seconds_per_session: positive("max_minutes_per_session", &raw.max_minutes_per_session, 1, errors)
            .map(|m| m.saturating_mul(60)),
        gap_seconds: positive("gap_seconds", &raw.gap_seconds, 0, errors).unwrap_or(DEFAULT_GAP_SECONDS),
    }
}

fn validate_web(raw: &RawWeb, src: &SourceFile, errors: &mut Vec<ConfigError>) -> WebConfig {
    let mut web = WebConfig::default();
    if let Some(e) = raw.enabled {
        web.enabled = e;
    }
    if let Some(b) = &raw.bind {
        let text = b.get_ref().trim();
        // "localhost:8080" is what people write; the resolver is not needed for it.
        let text = text.replacen("localhost:", "127.0.0.1:", 1);
        match text.parse::<std::net::SocketAddr>() {
            Ok(a) => web.bind = a,
            Err(_) => errors.push(src.error_at(
                b,
                Problem::BadBind {
                    value: b.get_ref().clone(),
                },
            )),
        }
    }
    for (name, value, out) in [
        ("max_file_mb", &raw.max_file_mb, &mut web.max_file_bytes),
        ("max_request_mb", &raw.max_request_mb, &mut web.max_request_bytes),
    ] {
        if let Some(v) = value {
            match src.count(name, v, 1) {
                Ok(mb) => *out = u64::from(mb) << 20,
                Err(e) => errors.push(e),
            }
        }
    }
    web
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{Lang, Localize};

    const ISSUE_EXAMPLE: &str = r#"
[station]
name = "Đài truyền thanh xã Minh Tân"
timezone = "Asia/Ho_Chi_Minh"
audio_dir = "../audio"          # relative to this file
schedules_dir = "../schedules"
data_dir = "../data"

[[window]]
name = "sáng"
start = "05:30"
end = "06:30"
days = ["T2", "T3", "T4", "T5", "T6", "T7"]   # optional, default every day; also accept mon..sun / CN
# season = { from = "04-01", until = "09-30" } # optional

[[window]]
name = "chiều"
start = "17:00"
end = "18:00"

[limits]                       # all optional caps
max_sessions_per_day = 2
max_minutes_per_session = 45
gap_seconds = 3                # silence between two items
"#;

    #[test]
    fn the_documented_example_loads_as_written() {
        let st = Station::from_source(&SourceFile::new("config/loa.toml", ISSUE_EXAMPLE)).unwrap();
        assert_eq!(st.windows.len(), 2);
        assert_eq!(st.windows[0].name, "sáng");
        assert_eq!(st.limits.max_seconds_per_session, Some(45 * 60));
        assert_eq!(st.limits.gap_seconds, 3);
        assert_eq!(st.audio_dir, Path::new("audio"));
        assert_eq!(normalize(Path::new("/a/b/../../../c/./d")), Path::new("/c/d"));
        assert_eq!(normalize(Path::new("../x")), Path::new("../x"));
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let text = ISSUE_EXAMPLE
            .replace("end = \"06:30\"", "end = \"05:00\"")
            .replace("\"T7\"]", "\"T8\"]")
            .replace("Asia/Ho_Chi_Minh", "Asia/Hanoi_City");
        let errs = Station::from_source(&SourceFile::new("c.toml", text)).unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|e| e.localize(Lang::En)).collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("c.toml:4:") && m.contains("Asia/Hanoi_City")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("c.toml:12:") && m.contains("05:00")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("c.toml:13:") && m.contains("T8")),
            "{msgs:?}"
        );
    }

    #[test]
    fn overlapping_windows_are_refused_unless_seasons_differ() {
        let base = "[station]\nname = \"x\"\n";
        let two = |a: &str, b: &str| {
            format!("{base}[[window]]\nname = \"a\"\nstart = \"05:00\"\nend = \"06:00\"\n{a}\n[[window]]\nname = \"b\"\nstart = \"05:30\"\nend = \"06:30\"\n{b}\n")
        };
        assert!(Station::from_source(&SourceFile::new("c.toml", two("", ""))).is_err());
        let seasonal = two(
            "season = { from = \"04-01\", until = \"09-30\" }",
            "season = { from = \"10-01\", until = \"03-31\" }",
        );
        assert!(Station::from_source(&SourceFile::new("c.toml", seasonal)).is_ok());
    }

    #[test]
    fn the_shipped_sample_config_loads_with_its_letterhead() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/loa.toml");
        let st = Station::load(&path).unwrap();
        let lh = &st.letterhead;
        assert_eq!(lh.issuer_parent.as_deref(), Some("UBND HUYỆN TRIỆU SƠN"));
        assert_eq!(lh.report_sign.as_deref(), Some("BC-UBND"));
        assert!(lh.recipients.len() >= 2, "{:?}", lh.recipients);
        let bare = Station::from_source(&SourceFile::new("c.toml", ISSUE_EXAMPLE)).unwrap();
        assert_eq!(bare.letterhead, Letterhead::default());
    }
}
