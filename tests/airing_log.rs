//! The airing log on real SQLite files: what the daemon writes comes back,
//! the schema refuses edits, and every way of tampering with the file
//! (through rusqlite, the `sqlite3` tool, then checked by `loa log verify`)
//! is named at the first bad record.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use loa::airing_log::{AiringLog, ChainProblem, Event, Kind, NewRecord, Record, GENESIS_HASH};
use loa::planner::Outcome;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

const STATION: &str = "Đài truyền thanh xã Minh Tân";

/// An instant at station time (+07:00) on a day of November/December 2026.
fn local(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    FixedOffset::east_opt(7 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, month, day, hour, minute, 8)
        .unwrap()
        .with_timezone(&Utc)
}

fn airing_id(planned: DateTime<Utc>, clip: &str) -> String {
    format!("{}/{clip}", planned.to_rfc3339())
}

fn base(planned: DateTime<Utc>, clip: &str, event: Event) -> NewRecord {
    NewRecord {
        airing_id: airing_id(planned, clip),
        event,
        recorded_at: planned,
        planned,
        actual_start: None,
        actual_end: None,
        played_ms: None,
        outcome: None,
        reason: None,
        clip: clip.to_string(),
        clip_sha256: format!("{:x}", Sha256::digest(clip.as_bytes())),
        directive: Some("4568/KH-BCĐ".to_string()),
        kind: Kind::Quota,
        station: STATION.to_string(),
        host: "may-tram-1".to_string(),
    }
}

/// The records of one airing as the daemon writes them: a start (unless it
/// never started) and an end with the outcome.
fn airing_records(planned: DateTime<Utc>, clip: &str, outcome: Outcome) -> Vec<NewRecord> {
    let started = planned + Duration::milliseconds(1234);
    let mut out = Vec::new();
    if matches!(outcome, Outcome::Completed | Outcome::Interrupted) {
        out.push(NewRecord {
            recorded_at: started,
            actual_start: Some(started),
            ..base(planned, clip, Event::Start)
        });
    }
    let (ended, played, reason) = match outcome {
        Outcome::Completed => (Some(started + Duration::seconds(95)), Some(95_000), None),
        Outcome::Interrupted => (
            Some(started + Duration::seconds(20)),
            Some(20_000),
            Some("phát khẩn cấp chen ngang"),
        ),
        Outcome::Failed => (None, None, Some("không mở được thiết bị âm thanh")),
        Outcome::Missed => (None, None, Some("máy tính tắt lúc đến giờ")),
    };
    out.push(NewRecord {
        recorded_at: ended.unwrap_or(planned + Duration::seconds(30)),
        actual_start: if played.is_some() { Some(started) } else { None },
        actual_end: ended,
        played_ms: played,
        outcome: Some(outcome),
        reason: reason.map(str::to_string),
        ..base(planned, clip, Event::End)
    });
    out
}

/// A log with `n` completed airings (2n records), one a day at 05:30.
fn log_with(dir: &Path, n: u32) -> (AiringLog, Vec<Record>) {
    let mut log = AiringLog::open(dir).unwrap();
    let mut all = Vec::new();
    for i in 0..n {
        let planned = local(11, 1, 5, 30) + Duration::days(i64::from(i));
        for r in airing_records(planned, "antq-tuan-1", Outcome::Completed) {
            all.push(log.append(&r).unwrap());
        }
    }
    (log, all)
}

fn db_path(dir: &Path) -> PathBuf {
    dir.join("airings.sqlite3")
}

/// The attacker's connection: the triggers dropped, as anyone with the file
/// and a SQLite tool can.
fn attacker(dir: &Path) -> Connection {
    let c = Connection::open(db_path(dir)).unwrap();
    c.execute_batch(
        "DROP TRIGGER records_no_update; DROP TRIGGER records_no_delete; DROP TRIGGER records_append_only;",
    )
    .unwrap();
    c
}

const FIELDS: &str = "CAST(seq AS TEXT), airing_id, event, recorded_at, planned, actual_start, actual_end, \
     CAST(played_ms AS TEXT), outcome, reason, clip, clip_sha256, directive, kind, station, host";

/// The hash of stored row `seq`, computed from the module documentation
/// alone (an independent re-implementation, as an auditor would write it).
fn reference_hash(c: &Connection, seq: i64) -> String {
    let (prev, fields): (String, Vec<Option<String>>) = c
        .query_row(
            &format!("SELECT prev_hash, {FIELDS} FROM records WHERE seq = ?1"),
            [seq],
            |r| Ok((r.get(0)?, (1..=16).map(|i| r.get(i)).collect::<Result<_, _>>()?)),
        )
        .unwrap();
    let mut bytes = prev.into_bytes();
    for f in fields {
        match f {
            Some(s) => {
                bytes.extend((s.len() as u64).to_be_bytes());
                bytes.extend(s.as_bytes());
            }
            None => bytes.extend([0xFF; 8]),
        }
    }
    format!("{:x}", Sha256::digest(&bytes))
}

fn first_bad(dir: &Path) -> Option<(i64, ChainProblem)> {
    let v = AiringLog::open_read_only(dir).unwrap().verify().unwrap();
    v.first_bad.map(|b| (b.seq, b.problem))
}

#[test]
fn records_come_back_as_written_and_the_chain_links() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = AiringLog::open(dir.path()).unwrap();
    assert_eq!(log.head().unwrap(), None);
    let planned = local(11, 30, 5, 30);
    let mut written = Vec::new();
    for (i, outcome) in [Outcome::Completed, Outcome::Interrupted, Outcome::Missed]
        .into_iter()
        .enumerate()
    {
        let at = planned + Duration::minutes(5 * i as i64);
        for r in airing_records(at, "ngày-hội-antq", outcome) {
            let rec = log.append(&r).unwrap();
            assert_eq!(rec.airing_id, r.airing_id);
            assert_eq!(rec.reason, r.reason);
            assert_eq!(rec.outcome, r.outcome);
            assert_eq!(rec.planned, r.planned);
            assert_eq!(rec.actual_start, r.actual_start);
            written.push(rec);
        }
    }
    assert_eq!(written.len(), 5);
    for (i, r) in written.iter().enumerate() {
        assert_eq!(r.seq, i as i64 + 1);
        let prev = if i == 0 {
            GENESIS_HASH
        } else {
            &written[i - 1].hash
        };
        assert_eq!(r.prev_hash, prev);
        assert_eq!(r.hash.len(), 64);
        assert_eq!(r.computed_hash(), r.hash);
    }
    // The documented encoding, re-implemented here, gives the same hashes.
    let c = Connection::open(db_path(dir.path())).unwrap();
    for r in &written {
        assert_eq!(reference_hash(&c, r.seq), r.hash, "record {}", r.seq);
    }
    let last = written.last().unwrap();
    assert_eq!(log.head().unwrap(), Some((5, last.hash.clone())));
    drop(log);

    let reader = AiringLog::open_read_only(dir.path()).unwrap();
    assert_eq!(reader.records(None, None).unwrap(), written);
    assert_eq!(reader.latest(2).unwrap(), written[3..].to_vec());
    let v = reader.verify().unwrap();
    assert!(v.is_intact(), "{v:?}");
    assert_eq!((v.records, v.head.as_deref()), (5, Some(last.hash.as_str())));
    // The planned range is half-open, by planned instant.
    let second = reader
        .records(
            Some(planned + Duration::minutes(5)),
            Some(planned + Duration::minutes(10)),
        )
        .unwrap();
    assert_eq!(second.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![3, 4]);
}

#[test]
fn instants_are_kept_to_the_millisecond() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = AiringLog::open(dir.path()).unwrap();
    let planned = local(11, 30, 5, 30) + Duration::nanoseconds(123_456_789);
    let rec = log
        .append(&airing_records(planned, "dai-hieu", Outcome::Missed)[0])
        .unwrap();
    assert_eq!(rec.planned, local(11, 30, 5, 30) + Duration::milliseconds(123));
    assert_eq!(log.records(None, None).unwrap(), vec![rec]);
}

#[test]
fn an_end_record_needs_an_outcome_and_a_start_record_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = AiringLog::open(dir.path()).unwrap();
    let planned = local(11, 30, 5, 30);
    let err = log.append(&base(planned, "x", Event::End)).unwrap_err();
    assert!(err.to_string().contains("needs an outcome"), "{err}");
    let mut start = base(planned, "x", Event::Start);
    start.outcome = Some(Outcome::Completed);
    assert!(log.append(&start).is_err());
    assert_eq!(log.head().unwrap(), None);
}

#[test]
fn unfinished_finds_an_airing_that_started_and_never_ended() {
    let dir = tempfile::tempdir().unwrap();
    let (mut log, _) = log_with(dir.path(), 2);
    let planned = local(12, 1, 17, 0);
    let start = &airing_records(planned, "antq-tuan-2", Outcome::Completed)[0];
    let rec = log.append(start).unwrap();
    assert_eq!(log.unfinished().unwrap(), vec![rec]);
    log.append(&airing_records(planned, "antq-tuan-2", Outcome::Interrupted)[1])
        .unwrap();
    assert_eq!(log.unfinished().unwrap(), vec![]);
}

#[test]
fn past_airings_map_outcomes_and_times_for_the_planner() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = AiringLog::open(dir.path()).unwrap();
    let day = local(11, 30, 5, 30);
    let cases = [
        (day, Outcome::Completed),
        (day + Duration::minutes(3), Outcome::Interrupted),
        (day + Duration::minutes(6), Outcome::Failed),
        (day + Duration::minutes(9), Outcome::Missed),
    ];
    for (at, outcome) in cases {
        let clip = format!("clip-{}", at.timestamp());
        log.append_batch(&airing_records(at, &clip, outcome)).unwrap();
    }
    // An airing still playing (no end record) is not a past airing yet.
    log.append(&airing_records(day + Duration::minutes(12), "dang-phat", Outcome::Completed)[0])
        .unwrap();
    let past = log.past_airings(day, day + Duration::hours(1)).unwrap();
    assert_eq!(past.len(), 4, "{past:?}");
    for (p, (at, outcome)) in past.iter().zip(cases) {
        assert_eq!(p.outcome, outcome);
        assert_eq!(p.directive.as_deref(), Some("4568/KH-BCĐ"));
        match outcome {
            Outcome::Completed => {
                assert_eq!(p.start, at + Duration::milliseconds(1234));
                assert_eq!(p.end, p.start + Duration::seconds(95));
            }
            Outcome::Interrupted => assert_eq!(p.end, p.start + Duration::seconds(20)),
            Outcome::Failed | Outcome::Missed => assert_eq!((p.start, p.end), (at, at)),
        }
    }
    assert_eq!(
        log.past_airings(day + Duration::minutes(1), day + Duration::minutes(7))
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn sql_updates_and_deletes_are_refused_by_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let (log, _) = log_with(dir.path(), 2);
    let c = Connection::open(db_path(dir.path())).unwrap();
    let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 1);
    let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let e = c
        .execute("UPDATE records SET reason = 'sửa' WHERE seq = 2", [])
        .unwrap_err();
    assert!(e.to_string().contains("cannot be changed"), "{e}");
    let e = c.execute("DELETE FROM records WHERE seq = 4", []).unwrap_err();
    assert!(e.to_string().contains("cannot be deleted"), "{e}");
    assert!(c.execute("DELETE FROM records", []).is_err());
    // An insert must continue the chain: not in the middle, not unlinked.
    let e = c
        .execute(
            "INSERT INTO records SELECT 2, airing_id, event, recorded_at, planned, actual_start, actual_end, \
             played_ms, outcome, reason, clip, clip_sha256, directive, kind, station, host, prev_hash, hash \
             FROM records WHERE seq = 1",
            [],
        )
        .unwrap_err();
    assert!(
        e.to_string().contains("append-only") || e.to_string().contains("UNIQUE"),
        "{e}"
    );
    let e = c
        .execute(
            "INSERT INTO records SELECT 5, airing_id, event, recorded_at, planned, actual_start, actual_end, \
             played_ms, outcome, reason, clip, clip_sha256, directive, kind, station, host, prev_hash, hash \
             FROM records WHERE seq = 1",
            [],
        )
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    assert!(log.verify().unwrap().is_intact());
    assert_eq!(log.head().unwrap().unwrap().0, 4);
}

#[test]
fn an_edited_field_is_named_at_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let (log, all) = log_with(dir.path(), 10);
    drop(log);
    let c = attacker(dir.path());
    c.execute("UPDATE records SET played_ms = 120000 WHERE seq = 8", [])
        .unwrap();
    assert_eq!(first_bad(dir.path()), Some((8, ChainProblem::Altered)));
    // Re-hashing the edited record moves the break to the next one, which
    // no longer follows on from it.
    let h = reference_hash(&c, 8);
    assert_ne!(h, all[7].hash);
    c.execute("UPDATE records SET hash = ?1 WHERE seq = 8", [&h])
        .unwrap();
    assert_eq!(first_bad(dir.path()), Some((9, ChainProblem::Unlinked)));
    let v = AiringLog::open_read_only(dir.path()).unwrap().verify().unwrap();
    assert_eq!(v.records, 20);
    assert_eq!(v.missing_guards.len(), 3);
}

#[test]
fn a_deleted_record_is_named_as_missing() {
    let dir = tempfile::tempdir().unwrap();
    let (log, all) = log_with(dir.path(), 10);
    drop(log);
    let c = attacker(dir.path());
    c.execute("DELETE FROM records WHERE seq = 7", []).unwrap();
    assert_eq!(
        first_bad(dir.path()),
        Some((8, ChainProblem::Gap { expected: 7 }))
    );
    let v = AiringLog::open_read_only(dir.path()).unwrap().verify().unwrap();
    assert_eq!((v.records, v.head.as_deref()), (19, Some(all[19].hash.as_str())));
    use loa::lang::{Lang, Localize};
    assert!(v.localize(Lang::Vi).starts_with("thiếu bản ghi số 7 (đã bị xoá)"));
    // Renumbering to hide the gap breaks the link instead.
    c.execute("UPDATE records SET seq = seq - 1 WHERE seq > 7", [])
        .unwrap();
    assert_eq!(first_bad(dir.path()), Some((7, ChainProblem::Unlinked)));
}

#[test]
fn swapped_records_are_named_at_the_first_moved_one() {
    let dir = tempfile::tempdir().unwrap();
    let (log, _) = log_with(dir.path(), 10);
    drop(log);
    let c = attacker(dir.path());
    c.execute_batch(
        "CREATE TEMP TABLE moved AS SELECT * FROM records WHERE seq IN (5, 12);
         DELETE FROM records WHERE seq IN (5, 12);
         INSERT INTO records SELECT CASE seq WHEN 5 THEN 12 ELSE 5 END, airing_id, event, recorded_at, \
         planned, actual_start, actual_end, played_ms, outcome, reason, clip, clip_sha256, directive, kind, \
         station, host, prev_hash, hash FROM moved;",
    )
    .unwrap();
    assert_eq!(first_bad(dir.path()), Some((5, ChainProblem::Unlinked)));
}

#[test]
fn a_forged_record_inserted_in_the_middle_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let (log, all) = log_with(dir.path(), 10);
    drop(log);
    let c = attacker(dir.path());
    // Make room at 11 by renumbering 11.. to 12.. (in two steps, so no seq
    // collides on the way).
    c.execute_batch(
        "UPDATE records SET seq = seq + 1000000 WHERE seq >= 11;
         UPDATE records SET seq = seq - 1000000 + 1 WHERE seq >= 1000000;",
    )
    .unwrap();
    // The forger knows the algorithm: the forged record links to record 10
    // and carries its correct hash.
    c.execute(
        "INSERT INTO records SELECT 11, 'gia-mao', 'end', recorded_at, planned, NULL, NULL, NULL, 'completed', \
         NULL, 'antq-tuan-2', clip_sha256, directive, kind, station, host, ?1, '' FROM records WHERE seq = 10",
        [&all[9].hash],
    )
    .unwrap();
    let h = reference_hash(&c, 11);
    c.execute("UPDATE records SET hash = ?1 WHERE seq = 11", [&h])
        .unwrap();
    assert_eq!(first_bad(dir.path()), Some((12, ChainProblem::Unlinked)));
    // A careless forger (a made-up hash) is caught at the forged record.
    c.execute("UPDATE records SET hash = ?1 WHERE seq = 11", [&"a".repeat(64)])
        .unwrap();
    assert_eq!(first_bad(dir.path()), Some((11, ChainProblem::Altered)));
}

#[test]
fn cutting_off_the_newest_records_shows_against_the_published_head() {
    let dir = tempfile::tempdir().unwrap();
    let (log, _) = log_with(dir.path(), 5);
    let published = log.head().unwrap().unwrap();
    drop(log);
    let c = attacker(dir.path());
    c.execute("DELETE FROM records WHERE seq >= 9", []).unwrap();
    // The shorter chain is consistent, but the guards are gone...
    let v = AiringLog::open_read_only(dir.path()).unwrap().verify().unwrap();
    assert_eq!(v.first_bad, None);
    assert!(!v.is_intact());
    // ...and the head printed on the last report is no longer the head.
    assert_eq!(v.records, 8);
    assert_ne!(v.head.as_deref(), Some(published.1.as_str()));
}

#[test]
fn a_value_of_the_wrong_type_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (log, _) = log_with(dir.path(), 3);
    drop(log);
    let c = attacker(dir.path());
    c.execute("UPDATE records SET clip = X'00ff' WHERE seq = 2", [])
        .unwrap();
    assert_eq!(
        first_bad(dir.path()),
        Some((2, ChainProblem::Malformed { column: "clip" }))
    );
}

#[test]
fn tampering_through_the_sqlite3_tool_is_found() {
    let Ok(tool) = which("sqlite3") else {
        println!("note: sqlite3 is not installed; skipping the sqlite3 tamper test");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (log, _) = log_with(dir.path(), 4);
    drop(log);
    let out = Command::new(tool)
        .arg(db_path(dir.path()))
        .arg("DROP TRIGGER records_no_update; UPDATE records SET played_ms = 900000, reason = 'đủ thời lượng' WHERE seq = 6;")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(first_bad(dir.path()), Some((6, ChainProblem::Altered)));
}

fn which(name: &str) -> Result<PathBuf, ()> {
    let path = std::env::var_os("PATH").ok_or(())?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or(())
}

#[test]
fn a_reader_sees_a_consistent_log_while_the_daemon_appends() {
    let dir = tempfile::tempdir().unwrap();
    let (mut log, _) = log_with(dir.path(), 3);
    let reader = AiringLog::open_read_only(dir.path()).unwrap();
    assert!(reader.verify().unwrap().is_intact());
    log.append_batch(&airing_records(
        local(12, 2, 5, 30),
        "dai-hieu",
        Outcome::Completed,
    ))
    .unwrap();
    let v = reader.verify().unwrap();
    assert!(v.is_intact());
    assert_eq!(v.records, 8);
    // Reopening the writer leaves the schema and records as they were.
    drop(log);
    let log = AiringLog::open(dir.path()).unwrap();
    assert_eq!(log.head().unwrap().unwrap().0, 8);
}

#[test]
fn a_missing_log_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = AiringLog::open_read_only(dir.path()).unwrap_err();
    assert!(matches!(e, loa::airing_log::LogError::Missing { .. }), "{e:?}");
}

/// A minimal station in a temporary folder, its log in `data/`.
struct Station {
    dir: tempfile::TempDir,
}

impl Station {
    fn new() -> Station {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        std::fs::write(
            dir.path().join("config/loa.toml"),
            format!(
                "[station]\nname = \"{STATION}\"\ntimezone = \"Asia/Ho_Chi_Minh\"\ndata_dir = \"../data\"\n\n\
                 [[window]]\nname = \"sáng\"\nstart = \"05:30\"\nend = \"06:30\"\n"
            ),
        )
        .unwrap();
        Station { dir }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_loa"))
            .args(args)
            .current_dir(self.dir.path())
            .env("LANG", "vi_VN.UTF-8")
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stderr.contains("panicked"), "{stderr}");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            stderr,
        )
    }
}

#[test]
fn loa_log_verify_prints_the_head_or_names_the_bad_record() {
    let st = Station::new();
    let (log, _) = log_with(&st.data(), 6);
    let (seq, head) = log.head().unwrap().unwrap();
    drop(log);
    let (code, stdout, stderr) = st.run(&["log", "verify"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("toàn vẹn: 12 bản ghi"), "{stdout}");
    assert!(stdout.contains(&format!("{seq} {head}")), "{stdout}");

    attacker(&st.data())
        .execute("UPDATE records SET clip = 'clip-khac' WHERE seq = 5", [])
        .unwrap();
    let (code, stdout, stderr) = st.run(&["log", "verify"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stderr.contains("bản ghi số 5 đã bị sửa"), "{stderr}");
    let (code, _, stderr) = st.run(&["--lang", "en", "log", "verify", "--config", "config/loa.toml"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("record 5 was altered"), "{stderr}");
    assert!(
        stderr.contains("triggers that forbid edits were removed"),
        "{stderr}"
    );
}

#[test]
fn loa_log_without_a_log_says_so_plainly() {
    let st = Station::new();
    let (code, stdout, stderr) = st.run(&["log", "tail"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("chưa có nhật ký phát"), "{stdout} {stderr}");
    let (code, _, stderr) = st.run(&["log", "verify"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("chưa có nhật ký phát") && !stderr.contains("lỗi:"),
        "{stderr}"
    );
}

#[test]
fn loa_log_export_csv_has_a_bom_and_keeps_vietnamese() {
    let st = Station::new();
    let mut log = AiringLog::open(&st.data()).unwrap();
    // 05:30 station time is 22:30 UTC the day before: the day filter must
    // use station days.
    for day in [29, 30] {
        log.append_batch(&airing_records(
            local(11, day, 5, 30),
            "ngày-hội-antq",
            Outcome::Completed,
        ))
        .unwrap();
    }
    log.append_batch(&airing_records(
        local(11, 30, 6, 0),
        "antq-tuan-1",
        Outcome::Missed,
    ))
    .unwrap();
    drop(log);
    let (code, _, stderr) = st.run(&[
        "log",
        "export",
        "--from",
        "30/11/2026",
        "--to",
        "2026-11-30",
        "--format",
        "csv",
        "--output",
        "nhat-ky.csv",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let bytes = std::fs::read(st.dir.path().join("nhat-ky.csv")).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header[..5],
        ["seq", "airing_id", "event", "recorded_at", "planned"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "only 30/11 in station time");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][col("planned")], "2026-11-30T05:30:08.000+07:00");
    assert_eq!(&rows[0][col("clip")], "ngày-hội-antq");
    assert_eq!(&rows[0][col("station")], STATION);
    assert_eq!(&rows[0][col("directive")], "4568/KH-BCĐ");
    assert_eq!(&rows[2][col("reason")], "máy tính tắt lúc đến giờ");
    assert_eq!(&rows[2][col("outcome")], "missed");
    assert_eq!(&rows[2][col("actual_start")], "");
    assert!(!st.dir.path().join(".nhat-ky.csv.tmp").exists());
}

#[test]
fn loa_log_export_json_parses_and_tail_shows_airings() {
    let st = Station::new();
    let mut log = AiringLog::open(&st.data()).unwrap();
    log.append_batch(&airing_records(
        local(11, 30, 5, 30),
        "antq-tuan-1",
        Outcome::Completed,
    ))
    .unwrap();
    log.append_batch(&airing_records(
        local(11, 30, 17, 0),
        "antq-tuan-2",
        Outcome::Missed,
    ))
    .unwrap();
    drop(log);
    let (code, stdout, stderr) = st.run(&["log", "export", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let recs = v.as_array().unwrap();
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[1]["played_ms"], 95_000);
    assert_eq!(recs[1]["outcome"], "completed");
    assert_eq!(recs[0]["outcome"], serde_json::Value::Null);
    assert_eq!(recs[2]["seq"], 3);

    let (code, stdout, stderr) = st.run(&["log", "tail", "-n", "5"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Giờ dự kiến") && stdout.contains("30/11/2026 05:30:08"),
        "{stdout}"
    );
    assert!(
        stdout.contains("đã phát xong") && stdout.contains("bị lỡ"),
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("antq-tuan-").count(),
        2,
        "one line per airing: {stdout}"
    );
    let (_, stdout, _) = st.run(&["--lang", "en", "log", "tail"]);
    assert!(
        stdout.contains("Planned") && stdout.contains("missed"),
        "{stdout}"
    );

    let (code, _, stderr) = st.run(&["log", "export", "--format", "csv", "--from", "hôm qua"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("hôm qua"), "{stderr}");
}
