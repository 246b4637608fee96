//! The clip catalog on real files: every supported format decodes to its
//! true length, bad files are named with the reason while the rest load,
//! and an unchanged library is answered from the cache.

use std::path::{Path, PathBuf};

use loa::catalog::Catalog;
use loa::clip::{ClipNote, ClipProblem};
use loa::lang::{Lang, Localize};

const NOW: &str = "2026-11-30T08:00:00+07:00";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A temporary station folder with `audio/` holding the named fixtures.
fn library(files: &[&str]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let audio = dir.path().join("audio");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&audio).unwrap();
    for f in files {
        std::fs::copy(fixtures().join("audio").join(f), audio.join(f)).unwrap();
    }
    (dir, audio, data)
}

fn problem_of<'a>(cat: &'a Catalog, file: &str) -> &'a ClipProblem {
    &cat.errors
        .iter()
        .find(|e| e.path.file_name().unwrap() == file)
        .unwrap_or_else(|| panic!("no error for {file}: {:?}", cat.errors))
        .problem
}

#[test]
fn a_stereo_clip_reports_its_channels_rate_length_hash_and_first_sighting() {
    let (_dir, audio, data) = library(&["stereo.wav", "tone.ogg"]);
    let cat = Catalog::scan(&audio, &data, NOW).unwrap();
    assert!(cat.errors.is_empty(), "{:?}", cat.errors);
    assert_eq!(cat.clips.keys().collect::<Vec<_>>(), ["stereo", "tone"]);
    let sums = std::fs::read_to_string(fixtures().join("SHA256SUMS")).unwrap();
    let stereo = &cat.clips["stereo"];
    assert_eq!(
        (stereo.channels, stereo.sample_rate, stereo.codec.as_str()),
        (2, 16000, "pcm")
    );
    assert!(stereo.duration_ms.abs_diff(500) <= 5, "{}", stereo.duration_ms);
    assert!(sums.contains(&format!("{}  stereo.wav", stereo.sha256)));
    assert_eq!(stereo.first_seen, NOW);
}

#[test]
fn each_codec_gives_the_true_duration() {
    for (file, codec) in [
        ("tone.mp3", "mp3"),
        ("tone.wav", "pcm"),
        ("tone.ogg", "vorbis"),
        ("tone.flac", "flac"),
        ("tone.m4a", "aac"),
    ] {
        let (_dir, audio, data) = library(&[file]);
        let cat = Catalog::scan(&audio, &data, NOW).unwrap();
        let clip = cat
            .clips
            .get("tone")
            .unwrap_or_else(|| panic!("{file}: {:?}", cat.errors));
        assert_eq!(clip.codec, codec, "{file}");
        assert_eq!((clip.sample_rate, clip.channels), (16000, 1), "{file}");
        // Never shorter than the audio; AAC keeps its encoder priming
        // (silence that is really played), so allow up to 100 ms more.
        assert!(
            (990..=1100).contains(&clip.duration_ms),
            "{file}: {} ms",
            clip.duration_ms
        );
        let sums = std::fs::read_to_string(fixtures().join("SHA256SUMS")).unwrap();
        assert!(
            sums.contains(&format!("{}  {file}", clip.sha256)),
            "{file}: wrong hash"
        );
    }
}

#[test]
fn two_files_with_one_id_are_refused_by_name() {
    let (_dir, audio, data) = library(&["tone.mp3", "tone.wav"]);
    let cat = Catalog::scan(&audio, &data, NOW).unwrap();
    assert_eq!(cat.clips.len(), 1);
    assert!(matches!(
        problem_of(&cat, "tone.wav"),
        ClipProblem::DuplicateId { .. }
    ));
}

fn write(audio: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(audio.join(name), bytes).unwrap();
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("audio").join(name)).unwrap()
}

#[test]
fn broken_files_are_named_with_the_reason_and_the_others_still_load() {
    let (_dir, audio, data) = library(&["stereo.wav"]);
    write(&audio, "empty.mp3", b"");
    write(
        &audio,
        "notes-as.mp3",
        "Đây là văn bản, không phải âm thanh.\n".repeat(50).as_bytes(),
    );
    let wav = fixture_bytes("tone.wav");
    write(&audio, "cut-wav.wav", &wav[..wav.len() / 2]);
    let flac = fixture_bytes("tone.flac");
    write(&audio, "cut-flac.flac", &flac[..flac.len() / 2]);
    let mp3 = fixture_bytes("tone.mp3");
    write(&audio, "cut-mp3.mp3", &mp3[..mp3.len() / 2]);
    let m4a = fixture_bytes("tone.m4a");
    write(&audio, "cut-m4a.m4a", &m4a[..m4a.len() / 2]);
    let mut noise = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..20_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        noise.push((x >> 16) as u8);
    }
    write(&audio, "noise.ogg", &noise);
    write(&audio, "doc.txt", b"not audio");

    let cat = Catalog::scan(&audio, &data, NOW).unwrap();
    assert_eq!(
        cat.clips.keys().collect::<Vec<_>>(),
        ["stereo"],
        "{:?}",
        cat.errors
    );
    assert_eq!(problem_of(&cat, "empty.mp3"), &ClipProblem::Empty);
    assert!(matches!(
        problem_of(&cat, "notes-as.mp3"),
        ClipProblem::NotAudio { .. }
    ));
    for cut in ["cut-wav.wav", "cut-flac.flac", "cut-mp3.mp3"] {
        match problem_of(&cat, cut) {
            ClipProblem::Truncated {
                decoded_ms,
                declared_ms,
            } => {
                assert!(
                    *decoded_ms < 700 && declared_ms.abs_diff(1000) < 100,
                    "{cut}: {decoded_ms}/{declared_ms}"
                )
            }
            other => panic!("{cut}: {other:?}"),
        }
    }
    // A half M4A has no complete index; whatever the reason, it must be refused.
    problem_of(&cat, "cut-m4a.m4a");
    assert!(matches!(
        problem_of(&cat, "noise.ogg"),
        ClipProblem::NotAudio { .. }
    ));
    assert!(cat
        .warnings
        .iter()
        .any(|w| w.path.ends_with("doc.txt") && w.note == ClipNote::NotAnAudioFile));

    // The messages name the file and say what is wrong, in both languages.
    let e = cat
        .errors
        .iter()
        .find(|e| e.path.ends_with("cut-wav.wav"))
        .unwrap();
    let vi = e.localize(Lang::Vi);
    assert!(vi.contains("cut-wav.wav") && vi.contains("bị cắt cụt"), "{vi}");
    assert!(e.localize(Lang::En).contains("truncated"));
}

#[test]
fn a_file_whose_extension_lies_still_loads_with_a_note() {
    let (_dir, audio, data) = library(&[]);
    write(&audio, "ban-tin.mp3", &fixture_bytes("tone.wav"));
    let cat = Catalog::scan(&audio, &data, NOW).unwrap();
    assert_eq!(cat.clips["ban-tin"].codec, "pcm");
    assert!(matches!(
        &cat.warnings[0].note,
        ClipNote::Mislabelled { extension, codec } if extension == "mp3" && codec == "pcm"
    ));
    assert!(cat.warnings[0].localize(Lang::Vi).contains("đuôi tệp là .mp3"));
}

#[test]
fn an_unchanged_library_comes_from_the_cache_and_a_changed_file_is_decoded_again() {
    let (_dir, audio, data) = library(&["tone.mp3", "stereo.wav"]);
    write(&audio, "broken.wav", b"RIFF\x00\x00\x00\x00WAVEjunk");
    let first = Catalog::scan(&audio, &data, NOW).unwrap();
    assert_eq!((first.stats.decoded, first.stats.cached), (3, 0));

    let again = Catalog::scan(&audio, &data, "2026-12-01T08:00:00+07:00").unwrap();
    assert_eq!((again.stats.decoded, again.stats.cached), (0, 3));
    assert_eq!(again.clips, first.clips);
    assert_eq!(again.errors, first.errors, "errors are remembered too");

    // Replace stereo.wav with a different (longer) file: decoded again,
    // first-seen date kept.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(&audio, "stereo.wav", &fixture_bytes("tone.wav"));
    let changed = Catalog::scan(&audio, &data, "2026-12-02T08:00:00+07:00").unwrap();
    assert_eq!((changed.stats.decoded, changed.stats.cached), (1, 2));
    assert!(changed.clips["stereo"].duration_ms > 900);
    assert_eq!(changed.clips["stereo"].first_seen, NOW);

    // A corrupt cache is ignored, not fatal.
    std::fs::write(data.join(loa::catalog::CACHE_FILE), b"{ not json").unwrap();
    let recovered = Catalog::scan(&audio, &data, NOW).unwrap();
    assert_eq!(recovered.stats.decoded, 3);
}
