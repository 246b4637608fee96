//! Web page figures: how long each page takes on a big station (50
//! directives, 200 clips, a year of log with 72,000 records), through the
//! real router, against the cost every page pays first (loading the
//! station from its files) measured in the same run.
//! Run with `cargo bench --bench web`; prints medians.

mod common;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::{NaiveDate, TimeZone, Utc};
use loa::airing_log::AiringLog;
use loa::clock::ManualClock;
use loa::inputs::Inputs;
use loa::lang::Lang;
use loa::station::WebConfig;
use loa::web::{router, WebOptions, WebState};
use tower::ServiceExt;

const DIRECTIVES: usize = 50;
const CLIPS_EACH: usize = 4;
const REPS: usize = 15;

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

/// A one-second mono 8 kHz WAV whose samples depend on `seed`, so every
/// clip has its own hash.
fn wav(seed: u32) -> Vec<u8> {
    let samples: Vec<i16> = (0..8000u32)
        .map(|i| ((i * (seed + 3)) % 2000) as i16 - 1000)
        .collect();
    let data_len = (samples.len() * 2) as u32;
    let mut v = Vec::new();
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&8000u32.to_le_bytes());
    v.extend_from_slice(&16000u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        v.extend_from_slice(&s.to_le_bytes());
    }
    v
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    for d in ["config", "schedules", "audio", "data"] {
        std::fs::create_dir_all(root.join(d)).expect("folders");
    }
    std::fs::write(root.join("config/loa.toml"), STATION).expect("config");
    for i in 0..DIRECTIVES {
        std::fs::write(
            root.join(format!("schedules/{i}.toml")),
            format!(
                "number = \"{i}/KH\"\nsubject = \"Tuyên truyền số {i}\"\nclips = [\"c{i}-*\"]\n\
                 [[quota]]\nat_least = 2\nper = \"day\"\nfrom = 2025-01-01\n\
                 [[report]]\nevery = \"6 months\"\nbefore = \"05-30\"\n"
            ),
        )
        .expect("directive");
        for k in 0..CLIPS_EACH {
            std::fs::write(root.join(format!("audio/c{i}-{k}.wav")), wav((i * 10 + k) as u32)).expect("clip");
        }
    }
    let tz = chrono_tz::Asia::Ho_Chi_Minh;
    let (from, to) = (
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2025, 12, 14).unwrap(),
    );
    let recs = common::airings(DIRECTIVES, from, to, |i| format!("c{i}-0"), 0);
    AiringLog::open(&root.join("data"))
        .expect("log")
        .append_batch(&recs)
        .expect("append");
    let now = tz
        .with_ymd_and_hms(2025, 12, 15, 10, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let config = root.join("config/loa.toml");
    // The first load decodes every clip and fills the cache, as a station's first start does.
    let t = Instant::now();
    let inputs = Inputs::load(&config, now).expect("station");
    println!(
        "station: {} directives, {} clips, {} log records; first load (decodes all clips) {:.0} ms",
        inputs.directives.len(),
        inputs.catalog.clips.len(),
        recs.len(),
        ms(t.elapsed())
    );
    let baseline = median(
        (0..REPS)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(Inputs::load(&config, now).expect("station"));
                t.elapsed()
            })
            .collect(),
    );

    let app = router(WebState::new(WebOptions {
        config: config.clone(),
        web: WebConfig::default(),
        clock: Arc::new(ManualClock::new(now)),
        commands: None,
        status: None,
        default_lang: Lang::Vi,
    }));
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let get = |path: &str| {
        let app = app.clone();
        let path = path.to_string();
        runtime.block_on(async move {
            let req = Request::get(path.as_str())
                .header(header::HOST, "127.0.0.1:8080")
                .body(Body::empty())
                .unwrap();
            let res = app.oneshot(req).await.unwrap();
            let status = res.status();
            let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
            assert_eq!(
                status,
                StatusCode::OK,
                "{path}: {}",
                String::from_utf8_lossy(&body)
            );
            body.len()
        })
    };
    println!("{:<44} {:>10} {:>10} {:>9}", "page", "median ms", "× load", "KiB");
    println!(
        "{:<44} {:>10.1} {:>10} {:>9}",
        "(baseline) Inputs::load, cached catalog",
        ms(baseline),
        "1.0",
        "-"
    );
    for path in [
        "/",
        "/calendar",
        "/calendar?week=2025-06-02",
        "/clips",
        "/directives",
        "/reports",
        "/emergency",
        "/log",
        "/reports/download?from=2025-11-01&to=2025-11-30&format=xlsx",
        "/reports/download?from=2025-11-01&to=2025-11-30&format=csv",
    ] {
        let size = get(path);
        let d = median(
            (0..REPS)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(get(path));
                    t.elapsed()
                })
                .collect(),
        );
        println!(
            "{:<44} {:>10.1} {:>10.1} {:>9.0}",
            path,
            ms(d),
            d.as_secs_f64() / baseline.as_secs_f64(),
            size as f64 / 1024.0
        );
    }
}
