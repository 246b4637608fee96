//! Start accuracy in real time: how late the first sample of a clip reaches
//! the sound output, against the planned instant, for loa's player and for
//! `aplay` started at the same instants on the same output.
//!
//! Needs a PulseAudio null sink as ALSA's default device; run it through
//! `scripts/bench-start-accuracy`, which sets that up. The sink's monitor is
//! recorded with `parec`; every chunk is timestamped on arrival, which ties
//! sample positions to wall time (the null sink runs on a real-time clock);
//! each clip's first loud sample is then compared with its planned instant.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use loa::player::{AudioSession, OutputConfig};

const RATE: u32 = 48_000;
const AIRINGS: usize = 20;
const SPACING: Duration = Duration::from_millis(1500);

/// A 300 ms tone at 1 kHz, loud from its very first sample.
fn write_click(path: &Path) {
    let n = RATE * 3 / 10;
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + 2 * n).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&RATE.to_le_bytes());
    b.extend_from_slice(&(2 * RATE).to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&(2 * n).to_le_bytes());
    for i in 0..n {
        // Start at the peak so the very first sample is loud.
        let s = ((i as f64 * 1000.0 * std::f64::consts::TAU / f64::from(RATE)).cos() * 20000.0) as i16;
        b.extend_from_slice(&s.to_le_bytes());
    }
    std::fs::write(path, b).expect("write the test clip");
}

/// The monitor recording: samples, and (arrival instant, samples so far) per chunk.
struct Recording {
    samples: Vec<i16>,
    chunks: Vec<(Instant, usize)>,
}

fn record(monitor: &str) -> (std::process::Child, Arc<Mutex<Recording>>) {
    let mut child = Command::new("parec")
        .args([
            &format!("--device={monitor}"),
            "--format=s16le",
            &format!("--rate={RATE}"),
            "--channels=1",
            "--latency-msec=2",
            "--raw",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("parec runs");
    let mut out = child.stdout.take().expect("parec's stdout");
    let rec = Arc::new(Mutex::new(Recording {
        samples: Vec::new(),
        chunks: Vec::new(),
    }));
    let r = rec.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        let mut carry: Option<u8> = None;
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 {
                break;
            }
            let now = Instant::now();
            let mut g = r.lock().expect("recording lock");
            let mut bytes: Vec<u8> = carry.take().into_iter().collect();
            bytes.extend_from_slice(&buf[..n]);
            if bytes.len() % 2 == 1 {
                carry = bytes.pop();
            }
            for p in bytes.chunks_exact(2) {
                g.samples.push(i16::from_le_bytes([p[0], p[1]]));
            }
            let total = g.samples.len();
            g.chunks.push((now, total));
        }
    });
    (child, rec)
}

/// Wall instant of sample 0: each chunk's arrival minus its length bounds
/// it from above; the smallest bound is the closest.
fn origin(rec: &Recording) -> Instant {
    rec.chunks
        .iter()
        .map(|(at, total)| *at - Duration::from_secs_f64(*total as f64 / f64::from(RATE)))
        .min()
        .expect("the recording has chunks")
}

/// Lateness of the first loud sample after each planned instant, in ms.
fn lateness(rec: &Recording, planned: &[Instant]) -> Vec<f64> {
    let t0 = origin(rec);
    planned
        .iter()
        .map(|p| {
            let from = (p.saturating_duration_since(t0).as_secs_f64() - 0.05).max(0.0);
            let first = (from * f64::from(RATE)) as usize;
            let onset = rec.samples[first.min(rec.samples.len())..]
                .iter()
                .position(|s| s.unsigned_abs() > 3000)
                .map(|k| first + k)
                .expect("the clip reached the sink");
            let at = t0 + Duration::from_secs_f64(onset as f64 / f64::from(RATE));
            if at >= *p {
                (at - *p).as_secs_f64() * 1000.0
            } else {
                -((*p - at).as_secs_f64() * 1000.0)
            }
        })
        .collect()
}

fn summary(name: &str, mut v: Vec<f64>) {
    let in_order: Vec<String> = v.iter().map(|x| format!("{x:.1}")).collect();
    v.sort_by(|a, b| a.total_cmp(b));
    let median = v[v.len() / 2];
    let worst = v
        .iter()
        .copied()
        .fold(0.0, |a: f64, b| if b.abs() > a.abs() { b } else { a });
    println!(
        "  {name:<28} median {median:+6.1} ms, worst {worst:+6.1} ms, range {:+.1}..{:+.1} ms ({} airings)",
        v[0],
        v[v.len() - 1],
        v.len()
    );
    println!("    in order: {}", in_order.join(" "));
}

fn wait_until(at: Instant) {
    let now = Instant::now();
    if at > now {
        std::thread::sleep(at - now);
    }
}

fn main() {
    if Command::new("pactl")
        .arg("info")
        .output()
        .map(|o| !o.status.success())
        .unwrap_or(true)
    {
        println!("start_accuracy: skipped, no PulseAudio server (run scripts/bench-start-accuracy)");
        return;
    }
    let monitor = std::env::var("LOA_BENCH_MONITOR").unwrap_or_else(|_| "loa_null.monitor".into());
    let dir = std::env::temp_dir().join(format!("loa-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let clip: PathBuf = dir.join("click.wav");
    write_click(&clip);
    let buffer_ms = std::env::var("LOA_BENCH_BUFFER_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(loa::player::OutputConfig::default().buffer_ms);

    let (mut parec, rec) = record(&monitor);
    std::thread::sleep(Duration::from_millis(500));

    // loa: the device is opened ahead, as the daemon does, then each clip
    // is started at its instant.
    let config = OutputConfig {
        device: "default".into(),
        buffer_ms,
    };
    let session = AudioSession::open(&config).expect("open the default device (pulse)");
    std::thread::sleep(Duration::from_millis(500));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now() + Duration::from_millis(500);
    let loa_planned: Vec<Instant> = (0..AIRINGS).map(|i| start + SPACING * i as u32).collect();
    for p in &loa_planned {
        // As the daemon does: load ahead, start on the instant.
        let loaded = session.load(&clip).expect("load");
        session.play_loaded(loaded, Some(*p), &stop).expect("play");
    }
    session.close();

    // aplay, started at the same kind of instants on the same device.
    let start = Instant::now() + Duration::from_millis(500);
    let aplay_planned: Vec<Instant> = (0..AIRINGS).map(|i| start + SPACING * i as u32).collect();
    for p in &aplay_planned {
        wait_until(*p);
        let mut child = Command::new("aplay")
            .args(["-q"])
            .arg(&clip)
            .spawn()
            .expect("aplay runs");
        child.wait().expect("aplay ends");
    }
    std::thread::sleep(Duration::from_millis(500));
    let _ = parec.kill();
    let _ = parec.wait();

    let rec = rec.lock().expect("recording lock");
    println!("start accuracy: first sample at the sink minus the planned instant (PulseAudio null sink, parec monitor)");
    summary(
        &format!("loa player ({buffer_ms} ms buffer)"),
        lateness(&rec, &loa_planned),
    );
    summary("aplay (spawned at instant)", lateness(&rec, &aplay_planned));
    let _ = std::fs::remove_dir_all(&dir);
}
