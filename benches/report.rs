//! Report figures: a report over one year of a station's log with 50
//! directives (read from a real SQLite log, built, rendered), and the CSV
//! and XLSX exports of a report holding 1,000,000 airings.
//! Run with `cargo bench --bench report`; prints medians.

mod common;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use loa::airing_log::AiringLog;
use loa::catalog::Catalog;
use loa::directive::Directive;
use loa::lang::Lang;
use loa::report::{build, day_start, report_span, AiringRow, Report, ReportRequest};
use loa::report_format::{to_csv, to_table};
use loa::report_xlsx::to_xlsx;
use loa::source::SourceFile;
use loa::station::Station;

const STATION: &str = r#"
[station]
name = "Bench"
timezone = "Asia/Ho_Chi_Minh"
[[window]]
name = "sáng"
start = "05:00"
end = "07:00"
[[window]]
name = "chiều"
start = "17:00"
end = "19:00"
"#;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(reps: usize, mut f: impl FnMut() -> T) -> Duration {
    std::hint::black_box(f());
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
    let station = Station::from_source(&SourceFile::new("bench.toml", STATION)).expect("valid station");
    let directives: Vec<Directive> = (0..50)
        .map(|i| {
            let text = format!(
                "number = \"{i}/KH\"\nclips = [\"c{i}\"]\n[[quota]]\nat_least = 2\nper = \"day\"\nfrom = 2025-01-01\n\
                 [[quota]]\nat_least = 2\nper = \"week\"\nfrom = 2025-01-01\nwhat = \"new_items\"\n"
            );
            Directive::from_source(&SourceFile::new(format!("{i}.toml"), text), &station).expect("valid directive")
        })
        .collect();
    let tz = station.timezone;
    let from = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();

    // One year: every directive twice a day, one airing in fifty missed.
    let recs = common::airings(directives.len(), from, to, |i| format!("c{i}"), 50);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut log = AiringLog::open(dir.path()).expect("open log");
    log.append_batch(&recs).expect("append");
    let reader = AiringLog::open_read_only(dir.path()).expect("read log");
    let catalog = Catalog::default();
    let make = || {
        let (lo, hi) = report_span(&directives, from, to);
        let records = reader
            .records(
                Some(day_start(tz, lo)),
                Some(day_start(tz, hi + chrono::Duration::days(1))),
            )
            .expect("records");
        build(ReportRequest {
            station: &station,
            directives: &directives,
            catalog: &catalog,
            records: &records,
            from,
            to,
            today: NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
            head: reader.head().expect("head"),
        })
    };
    let report = make();
    let airings: usize = report.directives.iter().map(|d| d.airings.len()).sum();
    println!(
        "one year, 50 directives: {} records, {airings} airings in the report",
        recs.len()
    );
    let t = time(5, make);
    println!("  read the log and build the report: median {:.0} ms", ms(t));
    let t = time(5, || to_table(&report, Lang::Vi));
    println!("  render it as a table: median {:.0} ms", ms(t));
    let t = time(5, || to_xlsx(&report, Lang::Vi).expect("xlsx"));
    println!("  render it as XLSX: median {:.0} ms", ms(t));

    // A million airings: the year's report repeated until it holds that many.
    let mut big: Report = report.clone();
    let rows: Vec<AiringRow> = report.directives.iter().flat_map(|d| d.airings.clone()).collect();
    for d in &mut big.directives {
        d.airings.clear();
    }
    let per = 1_000_000 / big.directives.len();
    for (i, d) in big.directives.iter_mut().enumerate() {
        d.airings = rows.iter().cycle().skip(i * 7).take(per).cloned().collect();
    }
    let total: usize = big.directives.iter().map(|d| d.airings.len()).sum();
    println!("export of {total} airings:");
    let t = time(3, || to_csv(&big, Lang::Vi).expect("csv"));
    let size = to_csv(&big, Lang::Vi).expect("csv").len();
    println!(
        "  CSV: median {:.0} ms, {} MB (target <= 2000 ms)",
        ms(t),
        size / 1_000_000
    );
    let t = time(3, || to_xlsx(&big, Lang::Vi).expect("xlsx"));
    let size = to_xlsx(&big, Lang::Vi).expect("xlsx").len();
    println!(
        "  XLSX: median {:.0} ms, {} MB (target <= 15000 ms)",
        ms(t),
        size / 1_000_000
    );
}
