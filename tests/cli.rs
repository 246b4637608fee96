//! The `loa` binary as an officer runs it, in a temporary copy of the
//! sample station: the commands, their output formats, and a corpus of bad
//! inputs that must each give a clear message naming the file and line.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of the shipped sample station in a temporary folder.
struct Station {
    dir: tempfile::TempDir,
}

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Station {
    fn sample() -> Station {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for sub in ["config", "schedules", "audio"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
            for entry in std::fs::read_dir(repo.join(sub)).unwrap() {
                let entry = entry.unwrap();
                std::fs::copy(entry.path(), dir.path().join(sub).join(entry.file_name())).unwrap();
            }
        }
        Station { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> &Self {
        std::fs::write(self.path(rel), content).unwrap();
        self
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Rewrites a file by replacing `from` (which must occur) with `to`.
    fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, text.replacen(from, to, 1))
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[("LANG", "vi_VN.UTF-8")])
    }

    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_loa"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("LANG")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        let o = Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        assert!(!o.stderr.contains("panicked"), "loa panicked: {}", o.stderr);
        o
    }
}

/// 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    text[..at].matches('\n').count() + 1
}

#[test]
fn the_sample_station_checks_clean() {
    let st = Station::sample();
    let out = st.run(&["check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Hợp lệ") && out.stdout.contains("2 văn bản, 5 clip"),
        "{}",
        out.stdout
    );
}

#[test]
fn clips_lists_every_clip_with_its_length() {
    let st = Station::sample();
    let out = st.run(&["clips"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for id in [
        "antq-tuan-1",
        "antq-tuan-2",
        "dai-hieu",
        "ngay-hoi-antq-1",
        "ngay-hoi-antq-2",
    ] {
        assert!(out.stdout.contains(id), "{id} missing from {}", out.stdout);
    }
    let json = st.run(&["clips", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let clips = v["clips"].as_array().unwrap();
    assert_eq!(clips.len(), 5);
    assert!(clips.iter().all(|c| c["duration_ms"].as_u64().unwrap() > 3000));
    assert!(clips.iter().all(|c| c["sha256"].as_str().unwrap().len() == 64));
}

#[test]
fn plan_json_has_the_documented_shape_and_meets_the_sample_quotas() {
    let st = Station::sample();
    let out = st.run(&[
        "plan",
        "--from",
        "2026-11-30",
        "--to",
        "2026-12-06",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let airings = v["airings"].as_array().unwrap();
    for a in airings {
        for key in ["start", "end", "window", "clip", "directive", "kind"] {
            assert!(a.get(key).is_some(), "{key} missing in {a}");
        }
        let start = chrono::DateTime::parse_from_rfc3339(a["start"].as_str().unwrap()).unwrap();
        assert_eq!(start.offset().local_minus_utc(), 7 * 3600);
    }
    let per_day = |day: &str, directive: &str| {
        airings
            .iter()
            .filter(|a| a["start"].as_str().unwrap().starts_with(day) && a["directive"] == directive)
            .count()
    };
    let days: Vec<String> = std::iter::once("2026-11-30".to_string())
        .chain((1..=6).map(|d| format!("2026-12-0{d}")))
        .collect();
    for day in &days {
        assert_eq!(per_day(day, "4568/KH-BCĐ"), 2, "{day}");
    }
    let week: usize = days.iter().map(|d| per_day(d, "45-KH/BTGHU")).sum();
    assert_eq!(week, 3, "the priority directive asks 3 in the week of 30/11");
    assert_eq!(v["shortfalls"].as_array().unwrap().len(), 0);
}

#[test]
fn plan_defaults_to_seven_days_from_today_and_writes_ics() {
    let st = Station::sample();
    let out = st.run(&["plan", "--format", "ics", "--output", "lich.ics"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ics = st.read("lich.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    let events = ics.matches("BEGIN:VEVENT").count();
    assert!(
        events >= 7 * 3,
        "the sample airs at least 3 items a day, got {events}"
    );
    assert!(ics.lines().all(|l| l.len() <= 76));
}

#[test]
fn plan_table_speaks_vietnamese_by_default_and_english_on_request() {
    let st = Station::sample();
    let vi = st.run(&["plan", "--from", "2026-12-01", "--to", "2026-12-01"]);
    assert!(
        vi.stdout.contains("Lịch phát") && vi.stdout.contains("T3 01/12/2026"),
        "{}",
        vi.stdout
    );
    let en = st.run(&[
        "--lang",
        "en",
        "plan",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-01",
    ]);
    assert!(
        en.stdout.contains("Broadcast plan") && en.stdout.contains("Tue 2026-12-01"),
        "{}",
        en.stdout
    );
    let env = st.run_env(
        &["plan", "--from", "01/12/2026", "--to", "01/12/2026"],
        &[("LANG", "en_US.UTF-8")],
    );
    assert!(env.stdout.contains("Broadcast plan"));
}

#[test]
fn a_quota_beyond_capacity_shows_shortfalls_in_the_plan() {
    let st = Station::sample();
    st.edit(
        "schedules/4568-KH-BCD.toml",
        "at_least = 2\nper = \"day\"",
        "at_least = 400\nper = \"day\"",
    );
    let out = st.run(&["plan", "--from", "2026-12-01", "--to", "2026-12-02"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("THIẾU CHỈ TIÊU (2)"), "{}", out.stdout);
    assert!(out.stdout.contains("các khung giờ đã kín"), "{}", out.stdout);
}

#[test]
fn plan_refuses_while_a_directive_is_invalid_but_works_around_a_broken_clip() {
    let st = Station::sample();
    st.write(
        "audio/hong.mp3",
        b"this is not audio at all, just text in an mp3 file",
    );
    let out = st.run(&["plan", "--from", "2026-12-01", "--to", "2026-12-01"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("hong.mp3"), "{}", out.stderr);

    st.edit(
        "schedules/ngay-hoi-antq.toml",
        "per = \"week\"",
        "per = \"fortnight\"",
    );
    let out = st.run(&["plan", "--from", "2026-12-01", "--to", "2026-12-01"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("Chưa lập lịch"), "{}", out.stderr);
}

#[test]
fn bad_dates_on_the_command_line_are_usage_errors() {
    let st = Station::sample();
    let out = st.run(&["plan", "--from", "hôm nay"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("\"hôm nay\" không hợp lệ"), "{}", out.stderr);
    let out = st.run(&["plan", "--from", "2026-12-05", "--to", "2026-12-01"]);
    assert_eq!(out.code, 2);
}

/// One bad input: how to break the sample station, and what `loa check` must say.
struct BadCase {
    name: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    /// Text on the line the message must point at (in the edited file).
    line_of: Option<&'static str>,
    /// Words the Vietnamese message must contain.
    says: &'static str,
}

const CONFIG: &str = "config/loa.toml";
const ANTQ: &str = "schedules/4568-KH-BCD.toml";

const BAD_CASES: &[BadCase] = &[
    BadCase {
        name: "malformed TOML in the config",
        file: CONFIG,
        from: "name = \"Đài truyền thanh xã Minh Tân\"",
        to: "name = \"Đài truyền thanh xã Minh Tân",
        line_of: Some("name = \"Đài"),
        says: "lỗi cú pháp",
    },
    BadCase {
        name: "malformed TOML in a directive",
        file: ANTQ,
        from: "at_least = 2\nper",
        to: "at_least = = 2\nper",
        line_of: Some("at_least = ="),
        says: "lỗi cú pháp",
    },
    BadCase {
        name: "a count written as words",
        file: ANTQ,
        from: "at_least = 2\nper",
        to: "at_least = \"hai\"\nper",
        line_of: Some("\"hai\""),
        says: "lỗi cú pháp",
    },
    BadCase {
        name: "a misspelt key",
        file: ANTQ,
        from: "at_least = 2\nper",
        to: "at_lest = 2\nper",
        line_of: Some("at_lest"),
        says: "at_lest",
    },
    BadCase {
        name: "unknown window name",
        file: ANTQ,
        from: "windows = [\"sáng\", \"chiều\"]",
        to: "windows = [\"sáng\", \"tối\"]",
        line_of: Some("\"tối\""),
        says: "không có khung giờ \"tối\"",
    },
    BadCase {
        name: "window ends before it starts",
        file: CONFIG,
        from: "end = \"06:30\"",
        to: "end = \"05:00\"",
        line_of: Some("end = \"05:00\""),
        says: "kết thúc lúc 05:00, không sau giờ bắt đầu 05:30",
    },
    BadCase {
        name: "a time that is not HH:MM",
        file: CONFIG,
        from: "start = \"17:00\"",
        to: "start = \"5 giờ chiều\"",
        line_of: Some("5 giờ chiều"),
        says: "cần dạng GG:PP",
    },
    BadCase {
        name: "an unknown weekday",
        file: CONFIG,
        from: "\"T7\"]",
        to: "\"T8\"]",
        line_of: Some("\"T8\""),
        says: "ngày \"T8\" không hợp lệ",
    },
    BadCase {
        name: "an unknown time zone",
        file: CONFIG,
        from: "Asia/Ho_Chi_Minh",
        to: "Asia/Sai_Gon",
        line_of: Some("Asia/Sai_Gon"),
        says: "múi giờ \"Asia/Sai_Gon\"",
    },
    BadCase {
        name: "invalid cron",
        file: CONFIG,
        from: "cron = \"0 30 5 * * *\"",
        to: "cron = \"30 5 * * *\"",
        line_of: Some("cron = \"30 5"),
        says: "biểu thức cron \"30 5 * * *\" không hợp lệ",
    },
    BadCase {
        name: "a fixed time outside every window",
        file: CONFIG,
        from: "cron = \"0 30 5 * * *\"",
        to: "cron = \"0 30 4 * * *\"",
        line_of: Some("cron = \"0 30 4"),
        says: "04:30:00, ngoài mọi khung giờ phát",
    },
    BadCase {
        name: "a fixed item naming an unknown clip",
        file: CONFIG,
        from: "clip = \"dai-hieu\"",
        to: "clip = \"dai-hieu-cu\"",
        line_of: Some("dai-hieu-cu"),
        says: "không có clip \"dai-hieu-cu\"",
    },
    BadCase {
        name: "a clip pattern matching nothing",
        file: ANTQ,
        from: "clips = [\"antq-*\"]",
        to: "clips = [\"an-ninh-*\"]",
        line_of: Some("an-ninh-*"),
        says: "khớp với \"an-ninh-*\"",
    },
    BadCase {
        name: "an impossible date",
        file: ANTQ,
        from: "from = 2026-11-28\nuntil",
        to: "from = \"31/11/2026\"\nuntil",
        line_of: Some("31/11/2026"),
        says: "ngày \"31/11/2026\" không hợp lệ",
    },
    BadCase {
        name: "until before from",
        file: ANTQ,
        from: "until = 2027-03-31",
        to: "until = 2025-03-31",
        line_of: Some("until = 2025"),
        says: "trước ngày bắt đầu",
    },
    BadCase {
        name: "a level that does not exist",
        file: ANTQ,
        from: "level = \"normal\"",
        to: "level = \"urgent\"",
        line_of: Some("urgent"),
        says: "mức \"urgent\" không hợp lệ",
    },
    BadCase {
        name: "a period that does not exist",
        file: ANTQ,
        from: "per = \"day\"",
        to: "per = \"fortnight\"",
        line_of: Some("fortnight"),
        says: "chu kỳ \"fortnight\"",
    },
    BadCase {
        name: "at_most below at_least",
        file: ANTQ,
        from: "at_least = 2\nper = \"day\"",
        to: "at_least = 2\nat_most = 1\nper = \"day\"",
        line_of: Some("at_most = 1"),
        says: "at_most = 1 nhỏ hơn at_least = 2",
    },
    BadCase {
        name: "zero airings",
        file: ANTQ,
        from: "at_least = 2\nper = \"day\"",
        to: "at_least = 0\nper = \"day\"",
        line_of: Some("at_least = 0"),
        says: "at_least = 0 không hợp lệ",
    },
    BadCase {
        name: "a report deadline without a date",
        file: ANTQ,
        from: "due = 2027-04-15",
        to: "before = \"04-15\"",
        line_of: None,
        says: "hạn báo cáo cần due",
    },
    BadCase {
        name: "a duplicate directive number",
        file: "schedules/ngay-hoi-antq.toml",
        from: "number = \"45-KH/BTGHU\"",
        to: "number = \"4568/KH-BCĐ\"",
        line_of: None,
        says: "số hiệu \"4568/KH-BCĐ\" đã dùng",
    },
    BadCase {
        name: "overlapping windows",
        file: CONFIG,
        from: "start = \"17:00\"",
        to: "start = \"06:00\"",
        line_of: Some("name = \"chiều\""),
        says: "chồng lên nhau",
    },
    BadCase {
        name: "a negative limit",
        file: CONFIG,
        from: "max_sessions_per_day = 2",
        to: "max_sessions_per_day = -2",
        line_of: Some("-2"),
        says: "max_sessions_per_day = -2 không hợp lệ",
    },
];

#[test]
fn every_bad_input_gets_a_clear_message_naming_file_and_line() {
    for case in BAD_CASES {
        let st = Station::sample();
        st.edit(case.file, case.from, case.to);
        let out = st.run(&["check"]);
        assert_eq!(out.code, 1, "{}: exit code, stderr: {}", case.name, out.stderr);
        assert!(
            out.stderr.contains(case.says),
            "{}: expected {:?} in\n{}",
            case.name,
            case.says,
            out.stderr
        );
        let file = Path::new(case.file).file_name().unwrap().to_str().unwrap();
        let line = out.stderr.lines().find(|l| l.contains(case.says)).unwrap();
        assert!(
            line.contains(file),
            "{}: message does not name {file}: {line}",
            case.name
        );
        if let Some(marker) = case.line_of {
            let want = line_of(&st.read(case.file), marker);
            assert!(
                line.contains(&format!("{file}:{want}:")),
                "{}: expected line {want} in {line}",
                case.name
            );
        }
    }
}

#[test]
fn corrupt_audio_is_named_and_the_other_clips_still_load() {
    let st = Station::sample();
    let good = std::fs::read(st.path("audio/dai-hieu.wav")).unwrap();
    st.write("audio/hong.wav", &good[..good.len() / 3]);
    st.write("audio/rong.mp3", b"");
    let out = st.run(&["check"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("hong.wav: tệp bị cắt cụt"), "{}", out.stderr);
    assert!(out.stderr.contains("rong.mp3: tệp rỗng"), "{}", out.stderr);
    let clips = st.run(&["clips"]);
    assert!(
        clips.stdout.contains("dai-hieu") && clips.stdout.contains("5 clip"),
        "{}",
        clips.stdout
    );
}

#[test]
fn messages_switch_to_english() {
    let st = Station::sample();
    st.edit(
        ANTQ,
        "windows = [\"sáng\", \"chiều\"]",
        "windows = [\"sáng\", \"tối\"]",
    );
    let out = st.run(&["--lang", "en", "check"]);
    assert!(
        out.stderr
            .contains("there is no window \"tối\"; the station's windows: sáng, chiều"),
        "{}",
        out.stderr
    );
}

#[test]
fn missing_and_unreadable_files_are_clear_errors() {
    let st = Station::sample();
    let out = st.run(&["check", "--config", "khong-co.toml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("khong-co.toml: không đọc được tệp"),
        "{}",
        out.stderr
    );
    st.write("schedules/latin1.toml", b"number = \"caf\xe9\"\n");
    let out = st.run(&["check"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("latin1.toml") && out.stderr.contains("UTF-8"),
        "{}",
        out.stderr
    );
}
