//! The real `loa run` binary: killed with SIGKILL in the middle of an
//! airing and started again, then stopped with SIGTERM. The log must
//! verify, the cut airing must be recorded as interrupted, and its make-up
//! must follow. Playback goes through the project's ALSA config into
//! /dev/null, which runs faster than real time, so the clip is long.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Timelike;
use loa::clock::{Clock, SystemClock};

/// A fixed-offset zone where it is now around midday, so a window from
/// 00:00 to 23:59 is open for the whole test whenever it runs.
fn midday_zone() -> String {
    // The test runs against the real binary, which reads the real clock.
    let hour = SystemClock.now().hour() as i32;
    let offset = (12 - hour).clamp(-12, 14);
    // POSIX-style names: Etc/GMT-7 is UTC+7.
    match offset {
        0 => "Etc/GMT".to_string(),
        o if o > 0 => format!("Etc/GMT-{o}"),
        o => format!("Etc/GMT+{}", -o),
    }
}

/// A station folder whose one window is `name` from `start` to `end`, in a
/// zone where it is now midday.
fn station(name: &str, start: &str, end: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for d in ["config", "schedules", "audio"] {
        std::fs::create_dir_all(dir.path().join(d)).unwrap();
    }
    let config = format!(
        "[station]\nname = \"Đài thử\"\ntimezone = \"{}\"\n[[window]]\nname = \"{name}\"\nstart = \"{start}\"\nend = \"{end}\"\n",
        midday_zone()
    );
    std::fs::write(dir.path().join("config/loa.toml"), config).unwrap();
    dir
}

/// A 16-bit mono WAV of `secs` seconds of a quiet tone.
fn long_wav(path: &Path, secs: u32) {
    let rate = 8000u32;
    let n = rate * secs;
    let mut b = Vec::with_capacity(44 + 2 * n as usize);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + 2 * n).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&(2 * rate).to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&(2 * n).to_le_bytes());
    for i in 0..n {
        let s = ((i as f32 * 440.0 * std::f32::consts::TAU / rate as f32).sin() * 8000.0) as i16;
        b.extend_from_slice(&s.to_le_bytes());
    }
    std::fs::write(path, b).unwrap();
}

/// A running daemon, killed when the test ends however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(root: &Path) -> Running {
    Running(
        Command::new(env!("CARGO_BIN_EXE_loa"))
            .args(["--lang", "en", "run", "--config", "config/loa.toml"])
            .current_dir(root)
            .env("LOA_CAPTURE", "/dev/null")
            .stdout(Stdio::null())
            .stderr(Stdio::from(std::fs::File::create(root.join("run.log")).unwrap()))
            .spawn()
            .unwrap(),
    )
}

/// One log row as the tests look at it: (seq, event, outcome, kind, reason, airing_id).
type Row = (i64, String, Option<String>, String, Option<String>, String);

/// The log's rows, read while the daemon writes.
fn records(root: &Path) -> Vec<Row> {
    let path = root.join("data/airings.sqlite3");
    if !path.exists() {
        return Vec::new();
    }
    let Ok(conn) = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return Vec::new();
    };
    let _ = conn.busy_timeout(Duration::from_secs(2));
    let Ok(mut q) =
        conn.prepare("SELECT seq, event, outcome, kind, reason, airing_id FROM records ORDER BY seq")
    else {
        return Vec::new();
    };
    q.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
    })
    .map(|rows| rows.filter_map(Result::ok).collect())
    .unwrap_or_default()
}

fn wait_for(
    root: &Path,
    what: &str,
    ok: impl Fn(&[(i64, String, Option<String>, String, Option<String>, String)]) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if ok(&records(root)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!(
        "timed out waiting for {what}; records: {:#?}\nlog:\n{}",
        records(root),
        std::fs::read_to_string(root.join("run.log")).unwrap_or_default()
    );
}

#[test]
fn killed_mid_airing_it_records_the_cut_and_makes_it_up_and_sigterm_stops_cleanly() {
    let dir = station("cả ngày", "00:00", "23:59");
    let root = dir.path();
    std::fs::write(
        root.join("schedules/a.toml"),
        "number = \"1/KH\"\nclips = [\"dai\"]\n[[quota]]\nat_least = 20\nper = \"day\"\nfrom = 2020-01-01\n",
    )
    .unwrap();
    long_wav(&root.join("audio/dai.wav"), 400);

    // First run: wait for an airing to start, then kill -9 in the middle of it.
    let mut first = start(root);
    wait_for(root, "the first airing to start", |r| {
        r.iter().any(|x| x.1 == "start")
    });
    first.0.kill().unwrap(); // SIGKILL
    first.0.wait().unwrap();
    let cut = records(root).into_iter().find(|x| x.1 == "start").unwrap().5;
    assert!(
        !records(root).iter().any(|x| x.1 == "end" && x.5 == cut),
        "killed mid-airing: no end record yet"
    );

    // Second run: the cut airing is recorded as interrupted, and a make-up starts.
    let mut second = start(root);
    wait_for(root, "the interrupted record", |r| {
        r.iter()
            .any(|x| x.1 == "end" && x.5 == cut && x.2.as_deref() == Some("interrupted"))
    });
    wait_for(root, "the make-up to start", |r| {
        r.iter().any(|x| x.1 == "start" && x.3 == "make-up")
    });

    // SIGTERM mid-airing: a clean stop that records the cut airing.
    let pid = second.0.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = second.0.wait().unwrap();
    assert!(status.success(), "SIGTERM is a clean stop: {status}");
    let rows = records(root);
    let makeup = rows.iter().find(|x| x.1 == "start" && x.3 == "make-up").unwrap();
    let end = rows
        .iter()
        .find(|x| x.1 == "end" && x.5 == makeup.5)
        .expect("the cut make-up is recorded");
    assert_eq!(end.2.as_deref(), Some("interrupted"));
    assert!(end.4.as_deref().unwrap().contains("told to stop"), "{end:?}");

    // And the chain verifies.
    let verify = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args(["log", "verify", "--config", "config/loa.toml"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}

#[test]
fn edits_are_picked_up_without_a_restart_and_a_bad_edit_keeps_the_last_good_plan() {
    let dir = station("cả ngày", "00:00", "23:59");
    let root = dir.path();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio");
    std::fs::copy(fixtures.join("tone.wav"), root.join("audio/mot.wav")).unwrap();
    std::fs::copy(fixtures.join("stereo.wav"), root.join("audio/hai.wav")).unwrap();
    std::fs::write(
        root.join("schedules/a.toml"),
        "number = \"1/KH\"\nclips = [\"mot\"]\n[[quota]]\nat_least = 1\nper = \"day\"\nfrom = 2020-01-01\n",
    )
    .unwrap();
    let mut daemon = start(root);
    wait_for(root, "the first directive to air", |r| {
        r.iter()
            .any(|x| x.1 == "end" && x.2.as_deref() == Some("completed"))
    });

    // A broken edit: the daemon says so and keeps running on the last good plan.
    std::fs::write(
        root.join("schedules/b.toml"),
        "number = \"2/KH\"\nclips = [\"hai\"]\n[[quota]]\nat_least = \"hai\"\n",
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(root.join("run.log"))
        .unwrap()
        .contains("invalid directive, keeping its last good version")
    {
        assert!(Instant::now() < deadline, "no message about the bad edit");
        assert!(
            daemon.0.try_wait().unwrap().is_none(),
            "the daemon must keep running"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(std::fs::read_to_string(root.join("run.log"))
        .unwrap()
        .contains("b.toml"));

    // Fixed: the new directive airs, with no restart.
    std::fs::write(
        root.join("schedules/b.toml"),
        "number = \"2/KH\"\nclips = [\"hai\"]\n[[quota]]\nat_least = 1\nper = \"day\"\nfrom = 2020-01-01\n",
    )
    .unwrap();
    wait_for(root, "the new directive to air", |r| {
        r.iter()
            .any(|x| x.1 == "end" && x.2.as_deref() == Some("completed") && x.5.ends_with("/hai"))
    });
    daemon.0.kill().unwrap();
    daemon.0.wait().unwrap();
}

#[test]
fn an_emergency_plays_at_once_and_the_item_it_pushed_aside_is_made_up() {
    let dir = station("cả ngày", "00:00", "23:59");
    let root = dir.path();
    std::fs::write(
        root.join("schedules/a.toml"),
        "number = \"1/KH\"\nclips = [\"dai\"]\n[[quota]]\nat_least = 3\nper = \"day\"\nfrom = 2020-01-01\n",
    )
    .unwrap();
    long_wav(&root.join("audio/dai.wav"), 400);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio");
    std::fs::copy(fixtures.join("tone.wav"), root.join("audio/bao-bao.wav")).unwrap();

    let mut daemon = start(root);
    wait_for(root, "an airing to start", |r| r.iter().any(|x| x.1 == "start"));
    let cut = records(root)[0].5.clone();
    let out = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args([
            "play-now",
            "bao-bao",
            "--level",
            "emergency",
            "--config",
            "config/loa.toml",
        ])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    wait_for(root, "the emergency to air in full", |r| {
        r.iter()
            .any(|x| x.1 == "end" && x.3 == "emergency" && x.2.as_deref() == Some("completed"))
    });
    let rows = records(root);
    let pushed = rows
        .iter()
        .find(|x| x.1 == "end" && x.5 == cut)
        .expect("the pushed-aside item is recorded");
    assert_eq!(pushed.2.as_deref(), Some("interrupted"));
    assert!(pushed.4.as_deref().unwrap().contains("emergency"), "{pushed:?}");
    wait_for(root, "the make-up", |r| {
        r.iter().any(|x| x.1 == "start" && x.3 == "make-up")
    });
    daemon.0.kill().unwrap();
    daemon.0.wait().unwrap();
}

#[test]
fn outside_the_windows_only_an_emergency_may_play_now() {
    let dir = station("đêm", "00:00", "01:00");
    let root = dir.path();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio");
    std::fs::copy(fixtures.join("tone.wav"), root.join("audio/thong-bao.wav")).unwrap();
    let _daemon = start(root);
    let play = |level: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let out = Command::new(env!("CARGO_BIN_EXE_loa"))
                .args([
                    "--lang",
                    "en",
                    "play-now",
                    "thong-bao",
                    "--level",
                    level,
                    "--config",
                    "config/loa.toml",
                ])
                .current_dir(root)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            // Until the daemon has bound its socket, the client cannot reach it.
            if stderr.contains("Cannot reach") && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
            return (out.status.success(), stderr);
        }
    };
    let (ok, stderr) = play("manual");
    assert!(
        !ok && stderr.contains("outside the broadcast windows"),
        "{stderr}"
    );
    let (ok, stderr) = play("emergency");
    assert!(ok, "{stderr}");
    wait_for(root, "the emergency to air", |r| {
        r.iter()
            .any(|x| x.1 == "end" && x.3 == "emergency" && x.2.as_deref() == Some("completed"))
    });
    assert!(
        !records(root).iter().any(|x| x.3 == "manual"),
        "the manual request aired nothing"
    );
}

#[test]
fn the_daemon_reminds_of_a_report_due_within_a_week() {
    let dir = station("đêm", "00:00", "01:00");
    let root = dir.path();
    let tz: chrono_tz::Tz = midday_zone().parse().unwrap();
    let due = SystemClock.now().with_timezone(&tz).date_naive() + chrono::Duration::days(3);
    std::fs::write(
        root.join("schedules/a.toml"),
        format!("number = \"7/KH\"\nclips = [\"x\"]\n[[report]]\ndue = {due}\n"),
    )
    .unwrap();
    let _daemon = start(root);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let log = std::fs::read_to_string(root.join("run.log")).unwrap_or_default();
        if log.contains("a report is due in 3 days") && log.contains("7/KH") {
            break;
        }
        assert!(Instant::now() < deadline, "no reminder in:\n{log}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_broken_directive_file_at_start_is_reported_and_the_others_still_air() {
    let dir = station("cả ngày", "00:00", "23:59");
    let root = dir.path();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio");
    std::fs::copy(fixtures.join("tone.wav"), root.join("audio/mot.wav")).unwrap();
    std::fs::write(
        root.join("schedules/a.toml"),
        "number = \"1/KH\"\nclips = [\"mot\"]\n[[quota]]\nat_least = 1\nper = \"day\"\nfrom = 2020-01-01\n",
    )
    .unwrap();
    // An imported draft whose clips are not filled in yet.
    std::fs::write(
        root.join("schedules/nhap.toml"),
        "number = \"2/KH\"\nclips = []\n[[quota]]\nat_least = 1\nper = \"day\"\nfrom = 2020-01-01\n",
    )
    .unwrap();
    let _daemon = start(root);
    wait_for(root, "the valid directive to air", |r| {
        r.iter()
            .any(|x| x.1 == "end" && x.2.as_deref() == Some("completed"))
    });
    let log = std::fs::read_to_string(root.join("run.log")).unwrap();
    assert!(
        log.contains("invalid directive") && log.contains("nhap.toml"),
        "{log}"
    );
}
