//! Reports from a fixed airing log, through the real binary: table, CSV and
//! JSON compared with golden files (set UPDATE_GOLDEN=1 to rewrite them after
//! a deliberate change, then read the diff), and the bad cases.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use loa::airing_log::{AiringLog, Event, Kind, NewRecord};
use loa::planner::Outcome;

const CONFIG: &str = r#"
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

const DIRECTIVE: &str = r#"
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
fn station() -> (tempfile::TempDir, PathBuf) {
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

fn loa(root: &Path, args: &[&str]) -> (i32, String, String) {
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

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{name} differs from the golden file:\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

const WEEK: [&str; 6] = ["report", "--from", "2026-11-02", "--to", "2026-11-08", "--format"];

#[test]
fn the_week_report_as_a_table() {
    let (dir, _) = station();
    let (code, out, err) = loa(dir.path(), &[&WEEK[..], &["table"]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("4568/KH-BCĐ: 13/14 lượt, đạt 92.9%"), "{out}");
    golden("report-week.txt", &out);
}

#[test]
fn the_week_report_as_csv_opens_in_excel_with_vietnamese_intact() {
    let (dir, _) = station();
    let (code, out, err) = loa(dir.path(), &[&WEEK[..], &["csv"]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with('\u{feff}'), "UTF-8 with a BOM");
    // 7 days, 2 airings each, plus one make-up.
    assert_eq!(out.lines().count(), 1 + 15);
    golden("report-week.csv", &out);
}

#[test]
fn the_week_report_as_json_carries_the_log_head() {
    let (dir, _) = station();
    let (code, out, err) = loa(dir.path(), &[&WEEK[..], &["json"]].concat());
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = &v["directives"][0];
    assert_eq!(
        (d["required"].as_u64(), d["credited"].as_u64()),
        (Some(14), Some(13))
    );
    let wednesday = &d["periods"][2];
    assert_eq!(
        (
            wednesday["aired"].as_u64(),
            wednesday["missed"].as_u64(),
            wednesday["met"].as_bool()
        ),
        (Some(1), Some(1), Some(false))
    );
    let friday = &d["periods"][4];
    assert_eq!(
        (
            friday["aired"].as_u64(),
            friday["make_ups"].as_u64(),
            friday["interrupted"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    // The same head `loa log verify` prints.
    let (_, verify, _) = loa(dir.path(), &["log", "verify"]);
    let head = v["log_head"]["hash"].as_str().unwrap();
    assert!(verify.contains(head), "{verify}");
    golden("report-week.json", &out);
}

#[test]
fn bad_requests_get_clear_messages() {
    let (dir, _) = station();
    let (code, _, err) = loa(dir.path(), &["report", "--directive", "125-CV/BTGHU"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("không có văn bản số \"125-CV/BTGHU\"; các văn bản: 4568/KH-BCĐ"),
        "{err}"
    );
    let (code, _, err) = loa(
        dir.path(),
        &["report", "--from", "2026-11-08", "--to", "2026-11-02"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--to 2026-11-02 trước --from 2026-11-08"), "{err}");
    let (code, _, err) = loa(
        dir.path(),
        &["report", "--from", "2025-01-01", "--to", "2025-01-31"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("nhật ký phát bắt đầu từ ngày 02/11/2026"), "{err}");
}

#[test]
fn deadlines_list_what_is_due_next() {
    let (dir, _) = station();
    let (code, out, err) = loa(dir.path(), &["deadlines"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("30/01/2027") && out.contains("4568/KH-BCĐ") && out.contains("28/10/2026 – 29/01/2027"),
        "{out}"
    );
}
