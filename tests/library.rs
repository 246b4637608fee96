//! The clip library on real files and real decoding: uploads that are
//! stored under a safe, unique, truthful name or refused with nothing left
//! behind, removals that go to a trash folder without overwriting, and
//! directive edits that keep the officer's comments and never write an
//! invalid file.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use loa::catalog::Catalog;
use loa::clip::ClipProblem;
use loa::directive::Directive;
use loa::error::Problem;
use loa::lang::{Lang, Localize};
use loa::library::{
    add_clip, assign_clip, remove_clip, unassign_clip, AddOutcome, Added, AssignOutcome, LibraryError,
};
use loa::source::SourceFile;
use loa::station::Station;

const NOW: &str = "2026-11-30T08:15:00+07:00";

const CONFIG: &str = r#"
[station]
name = "Đài truyền thanh xã Minh Tân"
timezone = "Asia/Ho_Chi_Minh"

[[window]]
name = "sáng"
start = "05:30"
end = "06:30"

[[window]]
name = "chiều"
start = "17:00"
end = "18:00"
"#;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("audio").join(name)).unwrap()
}

fn sums() -> String {
    std::fs::read_to_string(fixtures().join("SHA256SUMS")).unwrap()
}

/// `<tmp>/station/audio`, empty, inside a folder that holds nothing else.
fn station_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let audio = dir.path().join("station/audio");
    std::fs::create_dir_all(&audio).unwrap();
    (dir, audio)
}

/// Every name in `dir`, hidden ones included, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn added(outcome: Result<AddOutcome, LibraryError>) -> Added {
    match outcome {
        Ok(AddOutcome::Added(a)) => a,
        other => panic!("expected Added, got {other:?}"),
    }
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn station() -> Station {
    Station::from_source(&SourceFile::new("config/loa.toml", CONFIG)).unwrap()
}

#[test]
fn each_format_is_stored_under_its_own_name_with_the_decoded_codec_and_hash() {
    for (file, codec) in [
        ("tone.mp3", "mp3"),
        ("tone.wav", "pcm"),
        ("tone.ogg", "vorbis"),
        ("tone.flac", "flac"),
        ("tone.m4a", "aac"),
    ] {
        let (_dir, audio) = station_dir();
        let a = added(add_clip(&audio, file, fixture(file)));
        assert_eq!(
            (a.id.as_str(), a.file_name.as_str(), a.renamed_from.as_deref()),
            ("tone", file, None),
            "{file}"
        );
        assert_eq!(a.codec, codec, "{file}");
        assert!(
            (990..=1100).contains(&a.duration_ms),
            "{file}: {} ms",
            a.duration_ms
        );
        assert!(sums().contains(&format!("{}  {file}", a.sha256)), "{file}");
        assert_eq!(a.path, audio.join(file));
        assert_eq!(std::fs::read(&a.path).unwrap(), fixture(file));
        // No temporary file stays behind, hidden or not.
        assert_eq!(listing(&audio), [file]);
    }
}

#[test]
fn a_file_that_does_not_decode_is_refused_and_the_folder_is_left_exactly_as_it_was() {
    let (_dir, audio) = station_dir();
    std::fs::write(audio.join("stereo.wav"), fixture("stereo.wav")).unwrap();
    std::fs::write(audio.join("ghi-chu.txt"), "giữ nguyên").unwrap();
    let before = listing(&audio);

    let half = |name: &str| {
        let b = fixture(name);
        b[..b.len() / 2].to_vec()
    };
    let mut noise = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..20_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        noise.push((x >> 16) as u8);
    }
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("rong.mp3", Vec::new()),
        (
            "van-ban.mp3",
            "Đây là văn bản, không phải âm thanh.\n".repeat(50).into_bytes(),
        ),
        ("cut.wav", half("tone.wav")),
        ("cut.flac", half("tone.flac")),
        ("cut.mp3", half("tone.mp3")),
        ("cut.m4a", half("tone.m4a")),
        ("noise.ogg", noise),
        ("anh.jpg", b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00".repeat(100)),
    ];
    for (name, bytes) in cases {
        let err = add_clip(&audio, name, bytes).expect_err(name);
        let LibraryError::NotAudio { name: got, problem } = &err else {
            panic!("{name}: {err:?}");
        };
        assert_eq!(got, name);
        match name {
            "rong.mp3" => assert_eq!(problem, &ClipProblem::Empty),
            "cut.wav" | "cut.flac" | "cut.mp3" => {
                assert!(
                    matches!(problem, ClipProblem::Truncated { .. }),
                    "{name}: {problem:?}"
                )
            }
            _ => {}
        }
        assert_eq!(listing(&audio), before, "{name}");
        let vi = err.localize(Lang::Vi);
        assert!(vi.contains(name) && vi.contains("chưa lưu tệp"), "{vi}");
        assert!(err.to_string().contains("nothing was saved"), "{err}");
    }
    let empty = add_clip(&audio, "rong.mp3", Vec::new()).unwrap_err();
    assert!(empty.localize(Lang::Vi).contains("tệp rỗng (0 byte)"));
}

#[test]
fn a_clip_whose_id_is_taken_by_any_extension_gets_the_next_number() {
    let (dir, audio) = station_dir();
    std::fs::write(audio.join("tone.wav"), fixture("tone.wav")).unwrap();
    // A transcript is not a clip: it takes no id.
    std::fs::write(audio.join("tin.txt"), "bản ghi lời").unwrap();

    let a = added(add_clip(&audio, "tone.mp3", fixture("tone.mp3")));
    assert_eq!(
        (a.id.as_str(), a.file_name.as_str(), a.renamed_from.as_deref()),
        ("tone-2", "tone-2.mp3", Some("tone.mp3"))
    );
    let b = added(add_clip(&audio, "tone.flac", fixture("tone.flac")));
    assert_eq!(b.file_name, "tone-3.flac");
    let c = added(add_clip(&audio, "tin.ogg", fixture("tone.ogg")));
    assert_eq!(
        (c.file_name.as_str(), c.renamed_from.as_deref()),
        ("tin.ogg", None)
    );
    assert_eq!(
        listing(&audio),
        ["tin.ogg", "tin.txt", "tone-2.mp3", "tone-3.flac", "tone.wav"]
    );
    assert_eq!(
        std::fs::read(audio.join("tone.wav")).unwrap(),
        fixture("tone.wav")
    );

    // The catalog sees four clips and no clash of ids, with the same hashes.
    let cat = Catalog::scan(&audio, &dir.path().join("station/data"), NOW).unwrap();
    assert!(cat.errors.is_empty(), "{:?}", cat.errors);
    assert_eq!(
        cat.clips.keys().collect::<Vec<_>>(),
        ["tin", "tone", "tone-2", "tone-3"]
    );
    for x in [&a, &b, &c] {
        assert_eq!(cat.clips[&x.id].sha256, x.sha256, "{}", x.id);
        assert_eq!(cat.clips[&x.id].duration_ms, x.duration_ms, "{}", x.id);
    }
}

#[test]
fn identical_bytes_are_a_duplicate_and_nothing_is_written() {
    let (_dir, audio) = station_dir();
    added(add_clip(&audio, "antq-tuan-1.mp3", fixture("tone.mp3")));
    let before = listing(&audio);
    let again = add_clip(&audio, "Bản tin khác.mp3", fixture("tone.mp3")).unwrap();
    assert_eq!(
        again,
        AddOutcome::Duplicate {
            existing_id: "antq-tuan-1".to_string()
        }
    );
    assert_eq!(listing(&audio), before);
    // Same size, other bytes: not a duplicate.
    let mut changed = fixture("tone.wav");
    let last = changed.len() - 1;
    changed[last] ^= 1;
    std::fs::write(audio.join("goc.wav"), fixture("tone.wav")).unwrap();
    let other = added(add_clip(&audio, "doi.wav", changed));
    assert_eq!(other.id, "doi");
}

#[test]
fn the_content_decides_the_extension() {
    let (_dir, audio) = station_dir();
    // A WAV named .mp3 is stored as .wav.
    let a = added(add_clip(&audio, "ban-tin.mp3", fixture("tone.wav")));
    assert_eq!(
        (a.file_name.as_str(), a.renamed_from.as_deref(), a.codec.as_str()),
        ("ban-tin.wav", Some("ban-tin.mp3"), "pcm")
    );
    // No extension: the usual one is added.
    let b = added(add_clip(&audio, "thong-bao", fixture("tone.ogg")));
    assert_eq!(b.file_name, "thong-bao.ogg");
    // A type that is not audio is replaced.
    let c = added(add_clip(&audio, "ghi-am.bin", fixture("tone.flac")));
    assert_eq!(c.file_name, "ghi-am.flac");
    // A dot in the title is not a type: the extension is appended.
    let d = added(add_clip(&audio, "Bản tin 12.5.2026", fixture("tone.mp3")));
    assert_eq!(
        (d.id.as_str(), d.file_name.as_str()),
        ("Bản-tin-12.5.2026", "Bản-tin-12.5.2026.mp3")
    );
    // An AAC file may keep .mp4.
    let e = added(add_clip(&audio, "phong-su.mp4", fixture("tone.m4a")));
    assert_eq!(
        (e.file_name.as_str(), e.renamed_from.as_deref()),
        ("phong-su.mp4", None)
    );
    let cat = Catalog::scan(&audio, &audio.with_file_name("data"), NOW).unwrap();
    assert!(
        cat.warnings.is_empty(),
        "no clip is mislabelled: {:?}",
        cat.warnings
    );
    assert_eq!(cat.clips.len(), 5, "{:?}", cat.errors);
}

#[test]
fn a_name_that_climbs_out_of_the_folder_lands_inside_it() {
    let (dir, audio) = station_dir();
    let a = added(add_clip(&audio, "../../etc/passwd.mp3", fixture("tone.mp3")));
    assert_eq!(a.path, audio.join("passwd.mp3"));
    let b = added(add_clip(&audio, "..\\..\\..\\x.wav", fixture("tone.wav")));
    assert_eq!(b.path, audio.join("x.wav"));
    let c = added(add_clip(&audio, "/tmp/.bashrc.ogg", fixture("tone.ogg")));
    assert_eq!(c.path, audio.join("bashrc.ogg"));
    assert_eq!(listing(dir.path()), ["station"]);
    assert_eq!(listing(&dir.path().join("station")), ["audio"]);
    assert_eq!(listing(&audio), ["bashrc.ogg", "passwd.mp3", "x.wav"]);
    assert!(matches!(
        add_clip(&audio, "../..", fixture("tone.mp3")),
        Err(LibraryError::BadName { .. })
    ));
}

#[test]
fn removing_moves_the_file_to_the_trash_under_a_timestamped_name_and_never_overwrites() {
    let (dir, audio) = station_dir();
    let trash = dir.path().join("station/data/trash");
    added(add_clip(&audio, "tone.mp3", fixture("tone.mp3")));
    let first = remove_clip(&audio, &trash, "tone", at("2026-11-30 08:15:09")).unwrap();
    assert_eq!(first, trash.join("20261130-081509-tone.mp3"));
    assert!(listing(&audio).is_empty());
    assert_eq!(std::fs::read(&first).unwrap(), fixture("tone.mp3"));

    // Another clip of the same name removed in the same second.
    std::fs::write(audio.join("tone.mp3"), fixture("stereo.wav")).unwrap();
    let second = remove_clip(&audio, &trash, "tone", at("2026-11-30 08:15:09")).unwrap();
    assert_eq!(second, trash.join("20261130-081509-tone-2.mp3"));
    assert_eq!(std::fs::read(&first).unwrap(), fixture("tone.mp3"));
    assert_eq!(std::fs::read(&second).unwrap(), fixture("stereo.wav"));
    assert_eq!(
        listing(&trash),
        ["20261130-081509-tone-2.mp3", "20261130-081509-tone.mp3"]
    );
}

#[test]
fn remove_refuses_ids_that_are_not_exactly_one_clip_of_the_folder() {
    let (dir, audio) = station_dir();
    let trash = dir.path().join("station/trash");
    let outside = dir.path().join("station/x.mp3");
    std::fs::write(&outside, fixture("tone.mp3")).unwrap();
    std::fs::write(audio.join("ghi-chu.txt"), "không phải clip").unwrap();
    let now = at("2026-11-30 08:15:00");
    for id in ["../x", "..", ".", "", "a/b", "a\\b", ".x"] {
        let err = remove_clip(&audio, &trash, id, now).unwrap_err();
        assert!(matches!(err, LibraryError::BadId { .. }), "{id:?}: {err:?}");
    }
    for id in ["khong-co", "ghi-chu", "x"] {
        let err = remove_clip(&audio, &trash, id, now).unwrap_err();
        assert!(matches!(err, LibraryError::UnknownClip { .. }), "{id}: {err:?}");
        assert!(err
            .localize(Lang::Vi)
            .contains(&format!("không có clip \"{id}\"")));
    }
    assert!(outside.exists());

    // Two files with one id: which one is meant cannot be told.
    std::fs::write(audio.join("tone.mp3"), fixture("tone.mp3")).unwrap();
    std::fs::write(audio.join("tone.wav"), fixture("tone.wav")).unwrap();
    let err = remove_clip(&audio, &trash, "tone", now).unwrap_err();
    assert!(matches!(&err, LibraryError::AmbiguousClip { files, .. } if files.len() == 2));
    assert!(err.to_string().contains("tone.wav"), "{err}");
    assert_eq!(listing(&audio), ["ghi-chu.txt", "tone.mp3", "tone.wav"]);
    assert!(!trash.exists(), "nothing was moved, no trash made");
}

/// The draft `loa directive import` writes for a real directive: every
/// value followed by its quoted source sentence.
fn imported_draft() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let seed = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("000_"))
        .unwrap();
    let text = std::fs::read_to_string(seed).unwrap();
    let x = loa::directive_import::extract(&text);
    loa::directive_import::draft_toml(
        &x,
        "000.txt",
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        Lang::Vi,
    )
}

/// The lines of `after` that differ from `before`'s (both must have as many lines).
fn changed_lines(before: &str, after: &str) -> Vec<(String, String)> {
    assert_eq!(before.lines().count(), after.lines().count(), "{after}");
    before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn assigning_to_an_imported_draft_changes_only_the_clips_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("BCD-2021-09-27.toml");
    let draft = imported_draft();
    assert!(
        draft.contains("câu gốc: «") && draft.contains("clips = []   # ĐIỀN"),
        "{draft}"
    );
    std::fs::write(&path, &draft).unwrap();
    let st = station();

    assert_eq!(
        assign_clip(&path, &st, "antq-tuan-1").unwrap(),
        AssignOutcome::Added
    );
    let once = std::fs::read_to_string(&path).unwrap();
    let changed = changed_lines(&draft, &once);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].0.starts_with("clips = []   # ĐIỀN"));
    assert_eq!(
        changed[0].1,
        changed[0]
            .0
            .replacen("clips = []", "clips = [\"antq-tuan-1\"]", 1)
    );

    assert_eq!(
        assign_clip(&path, &st, "antq-tuan-2").unwrap(),
        AssignOutcome::Added
    );
    let twice = std::fs::read_to_string(&path).unwrap();
    assert_eq!(changed_lines(&once, &twice).len(), 1);
    assert!(twice.contains("clips = [\"antq-tuan-1\", \"antq-tuan-2\"]   # ĐIỀN"));
    let d = Directive::load(&path, &st).unwrap();
    assert!(d.uses_clip("antq-tuan-1") && d.uses_clip("antq-tuan-2") && !d.uses_clip("antq-tuan-3"));

    // Already there: nothing written.
    assert_eq!(
        assign_clip(&path, &st, "antq-tuan-1").unwrap(),
        AssignOutcome::AlreadyCovered {
            pattern: "antq-tuan-1".to_string()
        }
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), twice);

    // Unassigning one of the two changes only that line back.
    assert!(unassign_clip(&path, &st, "antq-tuan-1").unwrap());
    let back = std::fs::read_to_string(&path).unwrap();
    assert_eq!(changed_lines(&draft, &back).len(), 1);
    assert!(back.contains("clips = [\"antq-tuan-2\"]   # ĐIỀN"), "{back}");
    assert!(
        !unassign_clip(&path, &st, "antq-tuan-1").unwrap(),
        "no longer listed"
    );
    assert_eq!(listing(dir.path()), ["BCD-2021-09-27.toml"], "no temporary left");
}

fn sample(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schedules").join(name)).unwrap()
}

#[test]
fn a_clip_a_pattern_already_covers_is_not_added_and_patterns_are_never_unassigned() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("4568-KH-BCD.toml");
    let text = sample("4568-KH-BCD.toml");
    std::fs::write(&path, &text).unwrap();
    let st = station();
    assert_eq!(
        assign_clip(&path, &st, "antq-tuan-3").unwrap(),
        AssignOutcome::AlreadyCovered {
            pattern: "antq-*".to_string()
        }
    );
    assert!(!unassign_clip(&path, &st, "antq-tuan-3").unwrap());
    // Even named as written, a pattern is not one clip's entry.
    assert!(!unassign_clip(&path, &st, "antq-*").unwrap());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);

    // A clip the pattern does not cover is added beside it.
    assert_eq!(assign_clip(&path, &st, "tin-xa").unwrap(), AssignOutcome::Added);
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        changed_lines(&text, &after),
        [(
            "clips = [\"antq-*\"]".to_string(),
            "clips = [\"antq-*\", \"tin-xa\"]".to_string()
        )]
    );
}

#[test]
fn an_id_with_glob_characters_is_written_to_match_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.toml");
    std::fs::write(&path, "number = \"1/KH\"\nclips = [\"tin1\"]\n").unwrap();
    let st = station();
    // "tin[1]" as a glob would match "tin1": it must not count as covered.
    assert_eq!(assign_clip(&path, &st, "tin[1]").unwrap(), AssignOutcome::Added);
    let d = Directive::load(&path, &st).unwrap();
    assert!(d.uses_clip("tin[1]"));
    assert!(unassign_clip(&path, &st, "tin[1]").unwrap());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "number = \"1/KH\"\nclips = [\"tin1\"]\n"
    );
}

#[test]
fn an_edit_that_leaves_the_directive_invalid_is_refused_with_the_line_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let st = station();

    // Already wrong elsewhere: the error names the line, nothing is written.
    let path = dir.path().join("sai.toml");
    let text =
        "number = \"9/KH\"\nclips = []\n\n[[quota]]\nat_least = 2\nper = \"year\"\nfrom = 2026-12-01\n";
    std::fs::write(&path, text).unwrap();
    let err = assign_clip(&path, &st, "tin-a").unwrap_err();
    let LibraryError::Directive(errors) = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(errors[0].problem, Problem::BadPeriod { .. }),
        "{errors:?}"
    );
    assert_eq!(errors[0].location.line_col.map(|(l, _)| l), Some(6));
    assert!(
        err.localize(Lang::Vi).contains("sai.toml:6:"),
        "{}",
        err.localize(Lang::Vi)
    );
    assert!(err.localize(Lang::Vi).contains("chưa bị thay đổi"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);

    // Removing the last clip of a directive with airing quotas would leave
    // it with nothing to air.
    let path = dir.path().join("mot-clip.toml");
    let text = "number = \"10/KH\"\nclips = [\"tin-a\"]   # một clip\n\n[[quota]]\nat_least = 1\nper = \"day\"\nfrom = 2026-12-01\n";
    std::fs::write(&path, text).unwrap();
    let err = unassign_clip(&path, &st, "tin-a").unwrap_err();
    let LibraryError::Directive(errors) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(errors[0].problem, Problem::NoClipsListed);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);

    // Not TOML at all.
    let path = dir.path().join("hong.toml");
    std::fs::write(&path, "number = \"11/KH\"\nclips = [\"a\"\n").unwrap();
    let err = assign_clip(&path, &st, "tin-a").unwrap_err();
    assert!(err.to_string().contains("hong.toml:"), "{err}");
    // clips that is not a list.
    std::fs::write(&path, "number = \"11/KH\"\nclips = \"a\"\n").unwrap();
    let err = assign_clip(&path, &st, "tin-a").unwrap_err();
    assert!(err.to_string().contains("hong.toml:2:"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "number = \"11/KH\"\nclips = \"a\"\n"
    );

    // A bad id is refused before the file is read.
    assert!(matches!(
        assign_clip(&path, &st, "../x"),
        Err(LibraryError::BadId { .. })
    ));
    assert_eq!(listing(dir.path()), ["hong.toml", "mot-clip.toml", "sai.toml"]);
}

#[test]
fn a_directive_without_clips_gets_the_list_and_a_windows_file_keeps_its_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let st = station();
    let path = dir.path().join("bao-cao.toml");
    let text = "# chỉ có hạn báo cáo\r\nnumber = \"12/KH\"\r\n\r\n[[report]]\r\ndue = 2027-01-15   # «trước ngày 15/01/2027»\r\n";
    std::fs::write(&path, text).unwrap();
    assert_eq!(assign_clip(&path, &st, "tin-b").unwrap(), AssignOutcome::Added);
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(
        !after.replace("\r\n", "").contains('\n'),
        "every line still ends in CRLF: {after:?}"
    );
    assert!(after.contains("# «trước ngày 15/01/2027»\r\n"), "{after:?}");
    assert_eq!(
        after.matches("\r\n").count(),
        text.matches("\r\n").count() + 1,
        "{after:?}"
    );
    let d = Directive::load(&path, &st).unwrap();
    assert!(d.uses_clip("tin-b"));
    assert_eq!(d.reports.len(), 1);
}

#[test]
fn uploads_of_one_name_at_the_same_time_each_get_their_own_file() {
    let (_dir, audio) = station_dir();
    let uploads: Vec<_> = (0..4u8)
        .map(|i| {
            let audio = audio.clone();
            std::thread::spawn(move || {
                // Same name, different bytes (the last sample differs).
                let mut bytes = fixture("tone.wav");
                let last = bytes.len() - 1;
                bytes[last] = bytes[last].wrapping_add(i + 1);
                added(add_clip(&audio, "Bản tin.wav", bytes))
            })
        })
        .collect();
    let mut names: Vec<String> = uploads.into_iter().map(|u| u.join().unwrap().file_name).collect();
    names.sort();
    assert_eq!(
        names,
        ["Bản-tin-2.wav", "Bản-tin-3.wav", "Bản-tin-4.wav", "Bản-tin.wav"]
    );
    assert_eq!(listing(&audio), names, "no temporary left");
}
