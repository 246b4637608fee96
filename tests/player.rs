//! The real audio path: clips played through rodio into ALSA, captured by
//! the project's ALSA configuration (tests/alsa/asound.conf, a `file` PCM
//! over `null`), and checked sample by sample: the clip's length and loudness
//! must arrive at the device, tail included.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use loa::player::{AudioSession, Ending, OutputConfig};

/// The capture file is named by an environment variable read when the
/// device opens, so tests that play take turns.
static DEVICE: Mutex<()> = Mutex::new(());

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audio")
        .join(name)
}

/// What a capture holds: 16-bit WAV written by ALSA's file plugin.
struct Capture {
    rate: u32,
    channels: u16,
    /// First channel, as -1..1.
    samples: Vec<f64>,
}

fn read_capture(path: &Path) -> Capture {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[0..4], b"RIFF");
    let channels = u16::from_le_bytes([bytes[22], bytes[23]]);
    let rate = u32::from_le_bytes(bytes[24..28].try_into().unwrap());
    let bits = u16::from_le_bytes([bytes[34], bytes[35]]);
    assert_eq!(bits, 16);
    let data = bytes.windows(4).position(|w| w == b"data").unwrap() + 8;
    let samples = bytes[data..]
        .chunks_exact(2 * channels as usize)
        .map(|f| f64::from(i16::from_le_bytes([f[0], f[1]])) / 32768.0)
        .collect();
    Capture {
        rate,
        channels,
        samples,
    }
}

/// Start, length in seconds and RMS of the part that is not silence.
fn sound(c: &Capture) -> (f64, f64, f64) {
    let loud = |s: &f64| s.abs() > 0.01;
    let first = c.samples.iter().position(loud).expect("the capture holds sound");
    let last = c.samples.iter().rposition(loud).unwrap();
    let part = &c.samples[first..=last];
    let rms = (part.iter().map(|s| s * s).sum::<f64>() / part.len() as f64).sqrt();
    (
        first as f64 / f64::from(c.rate),
        part.len() as f64 / f64::from(c.rate),
        rms,
    )
}

/// Lengths in seconds of the loud stretches, split at 50 ms of silence.
/// (The capture device is not paced: wall-clock pauses between clips turn
/// into silences of any length, so only the clips themselves are measured.)
fn segments(c: &Capture) -> Vec<f64> {
    let gap = (c.rate / 20) as usize;
    let mut out = Vec::new();
    let (mut start, mut last_loud): (Option<usize>, usize) = (None, 0);
    for (i, s) in c.samples.iter().enumerate() {
        if s.abs() > 0.01 {
            if start.is_none() {
                start = Some(i);
            }
            last_loud = i;
        } else if let Some(st) = start {
            if i - last_loud > gap {
                out.push((last_loud + 1 - st) as f64 / f64::from(c.rate));
                start = None;
            }
        }
    }
    if let Some(st) = start {
        out.push((last_loud + 1 - st) as f64 / f64::from(c.rate));
    }
    out
}

fn play(files: &[&str]) -> (Capture, Vec<Ending>) {
    let _turn = DEVICE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture.wav");
    std::env::set_var("LOA_CAPTURE", &capture);
    let session = AudioSession::open(&OutputConfig::default()).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let endings = files
        .iter()
        .map(|f| session.play(&fixture(f), &stop).unwrap().ending)
        .collect();
    session.close();
    (read_capture(&capture), endings)
}

#[test]
fn every_format_reaches_the_device_with_its_length_and_loudness() {
    for file in ["tone.wav", "tone.mp3", "tone.ogg", "tone.flac", "tone.m4a"] {
        let (capture, endings) = play(&[file]);
        assert_eq!(endings, [Ending::Completed], "{file}");
        assert!(capture.channels >= 1);
        let (_, _, rms) = sound(&capture);
        let parts = segments(&capture);
        assert_eq!(parts.len(), 1, "{file}: {parts:?}");
        let length = parts[0];
        // A 1 s sine at amplitude 0.5: RMS 0.354. The tail must not be cut.
        assert!(
            (0.97..1.10).contains(&length),
            "{file}: {length:.3} s reached the device"
        );
        assert!((rms - 0.354).abs() < 0.03, "{file}: RMS {rms:.3}");
    }
}

#[test]
fn two_clips_in_one_session_both_arrive_whole() {
    let (capture, endings) = play(&["tone.wav", "stereo.wav"]);
    assert_eq!(endings, [Ending::Completed, Ending::Completed]);
    let parts = segments(&capture);
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert!(
        (0.97..1.10).contains(&parts[0]) && (0.48..0.56).contains(&parts[1]),
        "{parts:?}"
    );
}

#[test]
fn a_missing_clip_is_an_error_naming_the_file() {
    let _turn = DEVICE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("LOA_CAPTURE", dir.path().join("c.wav"));
    let session = AudioSession::open(&OutputConfig::default()).unwrap();
    let err = session
        .play(
            Path::new("/nonexistent/clip.mp3"),
            &Arc::new(AtomicBool::new(false)),
        )
        .unwrap_err();
    assert!(err.to_string().contains("/nonexistent/clip.mp3"), "{err}");
}

#[test]
fn an_unknown_device_is_refused_with_the_known_ones() {
    let cfg = OutputConfig {
        device: "khong-co-card".into(),
        ..OutputConfig::default()
    };
    let err = AudioSession::open(&cfg).err().expect("no such device");
    assert!(err.to_string().contains("khong-co-card"), "{err}");
}
