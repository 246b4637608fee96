//! A station with a fixed week in its airing log, shared by the report
//! tests: every test gets its own copy in a temporary folder.

#![allow(dead_code)] // each test binary uses part of it

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use loa::airing_log::{AiringLog, Event, Kind, NewRecord};
use loa::planner::Outcome;

pub const CONFIG: &str = r#"
[station]
name = "Đài truyền thanh xã Minh Tân"
timezone = "Asia/Ho_Chi_Minh"

[[window]]
name = "sáng"
start = "05:30"
end = "06:30"

[[window]]
name = "chiều"
start = "17:00"
end = "18:00"
"#;

pub const DIRECTIVE: &str = r#"
number = "4568/KH-BCĐ"
issuer = "Ban Chỉ đạo 138 huyện Triệu Sơn"
issued = 2026-10-27
subject = "Tuyên truyền xây dựng điển hình tiên tiến trong phong trào toàn dân bảo vệ ANTQ"
clips = ["antq-*"]

[[quota]]
at_least = 2
per = "day"
from = 2026-10-28

[[quota]]
at_least = 2
per = "week"
from = 2026-10-28
what = "new_items"

[[report]]
due = 2027-01-30
"#;

fn vn(s: &str) -> DateTime<Utc> {
    chrono_tz::Asia::Ho_Chi_Minh
        .from_local_datetime(&NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// A station with a week of airings in its log (2 a day asked): every
/// morning and evening aired, except Wednesday evening (missed, the PC was
/// off: that day falls short) and Friday morning (cut by a power failure,
/// made up at 05:45: that day is met).
pub fn station() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for d in ["config", "schedules", "audio", "data"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    std::fs::write(root.join("config/loa.toml"), CONFIG).unwrap();
    std::fs::write(root.join("schedules/4568.toml"), DIRECTIVE).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio");
    std::fs::copy(fixtures.join("tone.wav"), root.join("audio/antq-1.wav")).unwrap();
    std::fs::copy(fixtures.join("stereo.wav"), root.join("audio/antq-2.wav")).unwrap();

    let mut log = AiringLog::open(&root.join("data")).unwrap();
    let mut add = |at: &str, clip: &str, kind: Kind, outcome: Outcome, reason: Option<&str>| {
        let planned = vn(at);
        let id = format!("{}/{clip}", planned.to_rfc3339());
        let base = NewRecord {
            airing_id: id,
            event: Event::Start,
            recorded_at: planned,
            planned,
            actual_start: Some(planned),
            actual_end: None,
            played_ms: None,
            outcome: None,
            reason: None,
            clip: clip.into(),
            clip_sha256: "ab".repeat(32),
            directive: Some("4568/KH-BCĐ".into()),
            kind,
            station: "Đài truyền thanh xã Minh Tân".into(),
            host: "may-dai".into(),
        };
        let end = planned + Duration::seconds(60);
        if outcome != Outcome::Missed {
            log.append(&base).unwrap();
        }
        log.append(&NewRecord {
            event: Event::End,
            recorded_at: end,
            actual_start: (outcome != Outcome::Missed).then_some(planned),
            actual_end: (outcome != Outcome::Missed).then_some(end),
            played_ms: (outcome == Outcome::Completed).then_some(60_000),
            outcome: Some(outcome),
            reason: reason.map(str::to_string),
            ..base
        })
        .unwrap();
    };
    use Outcome::*;
    for day in 2..=8 {
        let d = format!("2026-11-{day:02}");
        match day {
            4 => {
                add(&format!("{d} 05:30:00"), "antq-1", Kind::Quota, Completed, None);
                add(
                    &format!("{d} 17:00:00"),
                    "antq-2",
                    Kind::Quota,
                    Missed,
                    Some("loa was not running (PC off or power cut)"),
                );
            }
            6 => {
                add(
                    &format!("{d} 05:30:00"),
                    "antq-1",
                    Kind::Quota,
                    Interrupted,
                    Some("the daemon stopped mid-airing (killed or power cut)"),
                );
                add(&format!("{d} 05:45:00"), "antq-2", Kind::MakeUp, Completed, None);
                add(&format!("{d} 17:00:00"), "antq-1", Kind::Quota, Completed, None);
            }
            _ => {
                add(&format!("{d} 05:30:00"), "antq-1", Kind::Quota, Completed, None);
                add(&format!("{d} 17:00:00"), "antq-2", Kind::Quota, Completed, None);
            }
        }
    }
    let config = root.join("config/loa.toml");
    (dir, config)
}

/// Runs the real binary in `root`; (exit code, stdout, stderr).
pub fn loa(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args(args)
        .current_dir(root)
        .env_remove("LANG")
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        stderr,
    )
}
