//! Planner benchmark: one station-year with 50 directives and 200 clips,
//! 200 such station-years across the machine's cores, and how the time
//! grows with directives and days. Run with `cargo bench --bench plan`.
//! Prints medians; the growth tables are ratios to the smallest case of the
//! same run, so a busy machine does not skew the comparison.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use loa::calendar::Calendar;
use loa::catalog::Catalog;
use loa::clip::Clip;
use loa::directive::Directive;
use loa::planner::{plan, PlanRequest};
use loa::source::SourceFile;
use loa::station::Station;

struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

struct Setup {
    station: Station,
    directives: Vec<Directive>,
    catalog: Catalog,
}

const STATION: &str = r#"
[station]
name = "Bench"
timezone = "Asia/Ho_Chi_Minh"
[[window]]
name = "sáng"
start = "05:00"
end = "06:30"
[[window]]
name = "trưa"
start = "11:00"
end = "11:45"
days = ["T2", "T3", "T4", "T5", "T6"]
[[window]]
name = "chiều"
start = "17:00"
end = "18:30"
[limits]
max_sessions_per_day = 3
max_minutes_per_session = 60
gap_seconds = 3
[[fixed]]
cron = "0 0 5 * * *"
clip = "ident"
[[fixed]]
cron = "0 0 17 * * *"
clip = "ident"
"#;

/// A station with `directives` directives over 200 clips (plus the ident).
fn setup(seed: u64, directives: usize) -> Setup {
    let mut rng = Rng(seed | 1);
    let station = Station::from_source(&SourceFile::new("bench.toml", STATION)).expect("valid station");
    let groups = 40;
    let mut clips: Vec<Clip> = (0..200)
        .map(|i| clip(&format!("g{}-{i}", i % groups), 30 + rng.next(270)))
        .collect();
    clips.push(clip("ident", 8));
    let directives = (0..directives)
        .map(|i| {
            let level = ["normal", "normal", "normal", "priority", "emergency"][rng.next(5) as usize];
            let (per, n) = match rng.next(3) {
                0 => ("day", 1 + rng.next(2)),
                1 => ("week", 2 + rng.next(4)),
                _ => ("month", 4 + rng.next(8)),
            };
            // Every directive is in force from the first planned day, so the
            // growth with days measures days, not directives switching on.
            let from =
                NaiveDate::from_ymd_opt(2025, 12, 1).unwrap() - chrono::Duration::days(rng.next(200) as i64);
            let until = if rng.next(3) == 0 {
                format!(
                    "until = {}",
                    from + chrono::Duration::days(400 + rng.next(800) as i64)
                )
            } else {
                String::new()
            };
            let text = format!(
                "number = \"{i}/KH\"\nlevel = \"{level}\"\nclips = [\"g{}-*\"]\n\
                 [[quota]]\nat_least = {n}\nper = \"{per}\"\nfrom = {from}\n{until}\n",
                i % groups
            );
            Directive::from_source(&SourceFile::new(format!("{i}.toml"), text), &station)
                .expect("valid directive")
        })
        .collect();
    Setup {
        station,
        directives,
        catalog: Catalog::from_clips(clips),
    }
}

fn clip(id: &str, secs: u64) -> Clip {
    Clip {
        id: id.into(),
        path: format!("{id}.mp3").into(),
        codec: "mp3".into(),
        duration_ms: secs * 1000,
        sample_rate: 44100,
        channels: 2,
        sha256: String::new(),
        size: 0,
        first_seen: String::new(),
    }
}

fn run(s: &Setup, days: i64) -> Calendar {
    let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    plan(PlanRequest {
        station: &s.station,
        directives: &s.directives,
        catalog: &s.catalog,
        from,
        to: from + chrono::Duration::days(days - 1),
        not_before: None,
        past: &[],
    })
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(reps: usize, mut f: impl FnMut() -> T) -> Duration {
    for _ in 0..2 {
        std::hint::black_box(f()); // warm caches and the CPU clock first
    }
    median(
        (0..reps)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let reps = if quick { 3 } else { 21 };

    let one = setup(7, 50);
    let cal = run(&one, 365);
    println!(
        "station-year: 50 directives, 200 clips, 365 days -> {} airings, {} shortfalls",
        cal.airings.len(),
        cal.shortfalls.len()
    );
    let t = time(reps, || run(&one, 365));
    println!(
        "  plan one station-year: median {:.2} ms over {reps} runs (target <= 20 ms)",
        ms(t)
    );

    let stations: Vec<Setup> = (0..200).map(|i| setup(1000 + i, 50)).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let all = || {
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(st) = stations.get(i) else { break };
                    std::hint::black_box(run(st, 365));
                });
            }
        });
    };
    let t = time(if quick { 1 } else { 5 }, all);
    println!(
        "  plan 200 station-years on {threads} threads: median {:.0} ms (target <= 2000 ms)",
        ms(t)
    );

    println!("growth with directives (365 days), ratio to 10 directives:");
    let mut base = None;
    for n in [10, 25, 50, 100, 200] {
        let s = setup(7, n);
        let t = time(reps, || run(&s, 365));
        let b = *base.get_or_insert(t);
        println!(
            "  {n:>4} directives: {:>8.2} ms  x{:.1}",
            ms(t),
            t.as_secs_f64() / b.as_secs_f64()
        );
    }
    println!("growth with days (50 directives), ratio to 30 days:");
    let mut base = None;
    for days in [30, 91, 182, 365, 730, 1095] {
        let t = time(reps, || run(&one, days));
        let b = *base.get_or_insert(t);
        println!(
            "  {days:>4} days: {:>8.2} ms  x{:.1}",
            ms(t),
            t.as_secs_f64() / b.as_secs_f64()
        );
    }
}
