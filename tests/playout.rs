//! The daemon in-process with a manual clock: a simulated week of airings
//! through the real audio path (ALSA into a capture file) and the real
//! SQLite log, in seconds; and a PC that was off through a morning session.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use loa::airing_log::{AiringLog, Event, Kind};
use loa::clock::ManualClock;
use loa::lang::Lang;
use loa::planner::Outcome;
use loa::playout::{Channels, Daemon, Options};
use tokio::sync::{mpsc, oneshot};

const CONFIG: &str = r#"
[station]
name = "Đài thử"
timezone = "Asia/Ho_Chi_Minh"

[[window]]
name = "sáng"
start = "05:30"
end = "06:30"

[[window]]
name = "chiều"
start = "17:00"
end = "18:00"

[limits]
gap_seconds = 3
"#;

const DIRECTIVE: &str = r#"
number = "12/KH"
clips = ["bai-*"]
[[quota]]
at_least = 2
per = "day"
from = 2026-11-01
"#;

fn vn(s: &str) -> DateTime<Utc> {
    chrono_tz::Asia::Ho_Chi_Minh
        .from_local_datetime(&NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// The capture file is named by a process-wide variable: tests take turns.
static SOUND_CARD: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A station folder: config, one directive, two real clips.
fn station() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for d in ["config", "schedules", "audio"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    std::fs::write(root.join("config/loa.toml"), CONFIG).unwrap();
    std::fs::write(root.join("schedules/12.toml"), DIRECTIVE).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio");
    std::fs::copy(fixtures.join("tone.wav"), root.join("audio/bai-1.wav")).unwrap();
    std::fs::copy(fixtures.join("stereo.wav"), root.join("audio/bai-2.wav")).unwrap();
    std::env::set_var("LOA_CAPTURE", root.join("capture.wav"));
    let config = root.join("config/loa.toml");
    (dir, config)
}

/// Runs the daemon on a manual clock from `start` until the clock reaches `end`.
async fn run_daemon(config: &Path, start: DateTime<Utc>, end: DateTime<Utc>) {
    let clock = Arc::new(ManualClock::until(start, end));
    let daemon = Daemon::new(
        Options {
            config: config.to_path_buf(),
            lang: Lang::En,
            host: "test-pc".into(),
        },
        clock.clone(),
    )
    .unwrap();
    let (_commands_tx, commands) = mpsc::channel(1);
    let (_changes_tx, changes) = mpsc::channel(1);
    let (stop, shutdown) = oneshot::channel();
    let watcher = {
        let clock = clock.clone();
        tokio::spawn(async move {
            while !clock.at_limit() {
                tokio::task::yield_now().await;
            }
            let _ = stop.send(());
        })
    };
    daemon
        .run(Channels {
            commands,
            changes,
            shutdown,
        })
        .await
        .unwrap();
    watcher.await.unwrap();
}

fn end_records(config: &Path) -> Vec<loa::airing_log::Record> {
    let log = AiringLog::open_read_only(&config.parent().unwrap().join("../data")).unwrap();
    let v = log.verify().unwrap();
    assert!(v.first_bad.is_none(), "the chain verifies");
    log.records(None, None)
        .unwrap()
        .into_iter()
        .filter(|r| r.event == Event::End)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_simulated_week_airs_every_quota_through_the_sound_card() {
    let _turn = SOUND_CARD.lock().await;
    let (_dir, config) = station();
    run_daemon(&config, vn("2026-11-30 00:00"), vn("2026-12-07 00:00")).await;
    let ends = end_records(&config);
    assert_eq!(ends.len(), 14, "2 a day for 7 days: {ends:#?}");
    assert!(ends
        .iter()
        .all(|r| r.outcome == Some(Outcome::Completed) && r.kind == Kind::Quota));
    // One in the morning, one in the evening, every day.
    let tz = chrono_tz::Asia::Ho_Chi_Minh;
    for r in &ends {
        let local = r.planned.with_timezone(&tz).time();
        assert!(
            local.format("%H:%M").to_string() == "05:30" || local.format("%H:%M").to_string() == "17:00",
            "{local}"
        );
        assert!(r.played_ms.unwrap() >= 500);
        assert_eq!(r.clip_sha256.len(), 64);
    }
    // The clips really went out: the capture holds their samples.
    let capture = std::fs::metadata(config.parent().unwrap().join("../capture.wav")).unwrap();
    assert!(capture.len() > 100_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn airings_missed_while_the_pc_was_off_are_recorded_and_made_up() {
    let _turn = SOUND_CARD.lock().await;
    let (_dir, config) = station();
    // Monday runs until 04:00 Tuesday; the PC is off until Tuesday 12:00.
    run_daemon(&config, vn("2026-11-30 00:00"), vn("2026-12-01 04:00")).await;
    run_daemon(&config, vn("2026-12-01 12:00"), vn("2026-12-02 00:00")).await;
    let ends = end_records(&config);
    let tuesday: Vec<_> = ends
        .iter()
        .filter(|r| r.planned >= vn("2026-12-01 00:00") && r.planned < vn("2026-12-02 00:00"))
        .collect();
    let missed: Vec<_> = tuesday
        .iter()
        .filter(|r| r.outcome == Some(Outcome::Missed))
        .collect();
    assert_eq!(missed.len(), 1, "{tuesday:#?}");
    assert!(missed[0].reason.as_deref().unwrap().contains("not running"));
    let completed: Vec<_> = tuesday
        .iter()
        .filter(|r| r.outcome == Some(Outcome::Completed))
        .collect();
    assert_eq!(completed.len(), 2, "the evening airs the quota and its make-up");
    assert_eq!(completed.iter().filter(|r| r.kind == Kind::MakeUp).count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_sound_device_airings_fail_with_the_reason_and_back_off() {
    let _turn = SOUND_CARD.lock().await;
    let (_dir, config) = station();
    let text =
        std::fs::read_to_string(&config).unwrap() + "\n[output]\ndevice = \"card-that-is-not-there\"\n";
    std::fs::write(&config, text).unwrap();
    run_daemon(&config, vn("2026-11-30 00:00"), vn("2026-12-01 00:00")).await;
    let ends = end_records(&config);
    let failed: Vec<_> = ends
        .iter()
        .filter(|r| r.outcome == Some(Outcome::Failed))
        .collect();
    assert!(!failed.is_empty());
    assert!(failed
        .iter()
        .all(|r| r.reason.as_deref().unwrap().contains("card-that-is-not-there")));
    // Two one-hour windows: backing off 1, 2, 4, 8, 16, 32 minutes keeps the
    // attempts to a handful, not one every few seconds.
    assert!(failed.len() <= 12, "{} failed attempts", failed.len());
    assert!(ends.iter().all(|r| r.outcome != Some(Outcome::Completed)));
}
