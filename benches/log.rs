//! Airing-log benchmark: one append synced to disk (what the daemon pays
//! per record), verifying a million records, and exporting them as CSV.
//! Run with `cargo bench --bench log`. Prints medians; the files live under
//! the target directory, on the real disk, not in a RAM-backed /tmp.

use std::io::Write;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use loa::airing_log::{export, AiringLog, Event, ExportFormat, Kind, NewRecord};
use loa::planner::Outcome;

const MILLION: usize = 1_000_000;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// CPU time this thread has used (Linux), so a busy shared machine can be
/// told apart from a slow program: wall time and CPU time are both printed.
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(
        text.split_whitespace().next()?.parse().ok()?,
    ))
}

/// Runs `f` `runs` times; medians of wall and CPU time.
fn measure(runs: usize, mut f: impl FnMut()) -> (Duration, Option<Duration>) {
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    for _ in 0..runs {
        let (t, c) = (Instant::now(), cpu_time());
        f();
        wall.push(t.elapsed());
        if let (Some(c0), Some(c1)) = (c, cpu_time()) {
            cpu.push(c1 - c0);
        }
    }
    let cpu = (!cpu.is_empty()).then(|| median(cpu));
    (median(wall), cpu)
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// Record `i` of a realistic log: alternating start and end, an airing
/// every 15 minutes, a few missed ones.
fn record(i: usize) -> NewRecord {
    let airing = i / 2;
    let planned: DateTime<Utc> =
        Utc.with_ymd_and_hms(2026, 1, 1, 22, 30, 0).unwrap() + chrono::Duration::minutes(15 * airing as i64);
    let clip = format!("antq-tuan-{}", airing % 7 + 1);
    let end = i % 2 == 1;
    let missed = airing.is_multiple_of(50);
    NewRecord {
        airing_id: format!("{}/{clip}", planned.to_rfc3339()),
        event: if end { Event::End } else { Event::Start },
        recorded_at: planned + chrono::Duration::seconds(if end { 96 } else { 1 }),
        planned,
        actual_start: (!missed).then(|| planned + chrono::Duration::seconds(1)),
        actual_end: (end && !missed).then(|| planned + chrono::Duration::seconds(96)),
        played_ms: (end && !missed).then_some(95_000),
        outcome: end.then_some(if missed {
            Outcome::Missed
        } else {
            Outcome::Completed
        }),
        reason: (end && missed).then(|| "máy tính tắt lúc đến giờ".to_string()),
        clip,
        clip_sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".to_string(),
        directive: Some("4568/KH-BCĐ".to_string()),
        kind: Kind::Quota,
        station: "Đài truyền thanh xã Minh Tân".to_string(),
        host: "may-tram-1".to_string(),
    }
}

fn main() {
    let base = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(base).unwrap();

    // One append, synced: a fresh log, 20 warm-up appends, 200 measured.
    let dir = tempfile::tempdir_in(base).unwrap();
    let mut log = AiringLog::open(dir.path()).unwrap();
    let mut times = Vec::new();
    for i in 0..220 {
        let r = record(i);
        let t = Instant::now();
        log.append(&r).unwrap();
        if i >= 20 {
            times.push(t.elapsed());
        }
    }
    times.sort();
    println!(
        "append one record (synchronous=FULL, fsync): median {}, p90 {}, max {} (200 appends)",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 9 / 10]),
        ms(*times.last().unwrap())
    );
    drop(log);

    // A million records, in batches of 50,000 (one transaction each).
    // LOA_BENCH_DIR keeps them in a folder of your choice and reuses them on
    // the next run (to profile verify or export without waiting).
    let temp = tempfile::tempdir_in(base).unwrap();
    let dir = std::env::var_os("LOA_BENCH_DIR").map_or(temp.path().to_path_buf(), Into::into);
    if !AiringLog::path_in(&dir).exists() {
        let mut log = AiringLog::open(&dir).unwrap();
        let t = Instant::now();
        for chunk in (0..MILLION).collect::<Vec<_>>().chunks(50_000) {
            let recs: Vec<NewRecord> = chunk.iter().map(|&i| record(i)).collect();
            log.append_batch(&recs).unwrap();
        }
        let size = std::fs::metadata(AiringLog::path_in(&dir)).map_or(0, |m| m.len());
        println!(
            "append_batch 1,000,000 records: {:.2} s ({} MB on disk)",
            t.elapsed().as_secs_f64(),
            size / 1_000_000
        );
    }
    let dir = dir.as_path();

    let reader = AiringLog::open_read_only(dir).unwrap();
    let (wall, cpu) = measure(5, || {
        let v = reader.verify().unwrap();
        assert!(v.is_intact() && v.records == MILLION as u64, "{v:?}");
    });
    println!(
        "verify 1,000,000 records: median {} wall, {} CPU, of 5 (target ≤ 1 s)",
        ms(wall),
        cpu.map_or("?".into(), ms)
    );

    let tz = chrono_tz::Asia::Ho_Chi_Minh;
    let out = dir.join("export.csv");
    let (wall, cpu) = measure(3, || {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&out).unwrap());
        let n = export(&reader, None, None, tz, ExportFormat::Csv, &mut w).unwrap();
        w.flush().unwrap();
        assert_eq!(n, MILLION as u64);
    });
    let size = std::fs::metadata(&out).map_or(0, |m| m.len());
    println!(
        "CSV export of 1,000,000 records to a file: median {} wall, {} CPU, of 3 ({} MB, target ≤ 2 s)",
        ms(wall),
        cpu.map_or("?".into(), ms),
        size / 1_000_000
    );
}
