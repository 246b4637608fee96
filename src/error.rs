//! Errors about the files an officer edits: where the problem is (file, line,
//! column) and what is wrong, in Vietnamese or English.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::lang::{Lang, Localize};

/// A place in a file, 1-based, as an editor shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file the problem is in.
    pub path: PathBuf,
    /// Line and column (1-based), when the problem is at a known place.
    pub line_col: Option<(usize, usize)>,
}

impl Location {
    /// A whole file, no line known.
    pub fn file(path: &Path) -> Location {
        Location {
            path: path.to_path_buf(),
            line_col: None,
        }
    }

    /// The place of byte `offset` in `source`, read from `path`.
    pub fn at(path: &Path, source: &str, offset: usize) -> Location {
        Location {
            path: path.to_path_buf(),
            line_col: Some(line_col(source, offset)),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line_col {
            Some((line, col)) => write!(f, "{}:{}:{}", self.path.display(), line, col),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// Line and column (1-based, columns counted in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

/// What is wrong with a value in the station config or a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file could not be read.
    Unreadable { reason: String },
    /// TOML syntax or a value of the wrong type; the message is the parser's.
    Syntax { message: String },
    /// A time of day that is not `HH:MM`.
    BadTime { value: String },
    /// A window whose end is not after its start.
    EndNotAfterStart { start: String, end: String },
    /// A weekday name that is neither T2..T7/CN nor mon..sun.
    BadDay { value: String },
    /// A season bound that is not `MM-DD`.
    BadMonthDay { value: String },
    /// Two windows with one name.
    DuplicateWindow { name: String },
    /// Two windows that can be open at the same moment.
    OverlappingWindows { first: String, second: String },
    /// The station has no `[[window]]`.
    NoWindows,
    /// A time zone name the tz database does not know.
    BadTimezone { value: String },
    /// `[web] bind` that is not `address:port`.
    BadBind { value: String },
    /// A limit that cannot be (0 sessions, 0 minutes).
    BadLimit { name: String, value: i64 },
    /// A quota names a window the station does not have.
    UnknownWindow { name: String, known: Vec<String> },
    /// A cron expression the cron crate rejects.
    BadCron { value: String, reason: String },
    /// A fixed item fires at a time of day that no window covers.
    FixedOutsideWindows { cron: String, time: String },
    /// `level` other than normal / priority / emergency.
    BadLevel { value: String },
    /// `per` other than day / week / month.
    BadPeriod { value: String },
    /// `what` other than airings / new_items.
    BadWhat { value: String },
    /// A date that is neither a TOML date nor `DD/MM/YYYY`.
    BadDate { value: String },
    /// `until` before `from`.
    UntilBeforeFrom { from: String, until: String },
    /// `at_least` of zero or below, or a negative count.
    BadCount { name: String, value: i64 },
    /// `at_most` below `at_least`.
    AtMostBelowAtLeast { at_least: u32, at_most: u32 },
    /// A directive without a number.
    EmptyNumber,
    /// Two directive files with one number.
    DuplicateDirective { number: String, other: PathBuf },
    /// A clip pattern that is not a valid glob.
    BadGlob { pattern: String, reason: String },
    /// A clip pattern that matches no clip in the catalog.
    NoClipMatches { pattern: String },
    /// A fixed item names a clip that is not in the catalog.
    UnknownClip { clip: String },
    /// A directive that lists no clips but has quotas.
    NoClipsListed,
    /// `every` that is not "N months" / "N years".
    BadEvery { value: String },
    /// A `[[report]]` without `due` or without `every` + `before`.
    BadReport,
}

impl Localize for Problem {
    fn localize(&self, lang: Lang) -> String {
        use Problem::*;
        let vi = lang == Lang::Vi;
        match self {
            Unreadable { reason } => {
                if vi {
                    format!("không đọc được tệp: {reason}")
                } else {
                    format!("cannot read the file: {reason}")
                }
            }
            Syntax { message } => {
                if vi {
                    format!("lỗi cú pháp hoặc kiểu giá trị TOML: {message}")
                } else {
                    format!("TOML syntax or value type error: {message}")
                }
            }
            BadTime { value } => {
                if vi {
                    format!("giờ \"{value}\" không hợp lệ, cần dạng GG:PP (ví dụ 05:30)")
                } else {
                    format!("time \"{value}\" is not valid, expected HH:MM (e.g. 05:30)")
                }
            }
            EndNotAfterStart { start, end } => {
                if vi {
                    format!("khung giờ kết thúc lúc {end}, không sau giờ bắt đầu {start}")
                } else {
                    format!("the window ends at {end}, which is not after its start {start}")
                }
            }
            BadDay { value } => {
                if vi {
                    format!("ngày \"{value}\" không hợp lệ, dùng T2..T7, CN hoặc mon..sun")
                } else {
                    format!("day \"{value}\" is not valid, use T2..T7, CN or mon..sun")
                }
            }
            BadMonthDay { value } => {
                if vi {
                    format!("ngày \"{value}\" không hợp lệ, cần dạng TT-NN (ví dụ 04-01)")
                } else {
                    format!("\"{value}\" is not a valid day, expected MM-DD (e.g. 04-01)")
                }
            }
            DuplicateWindow { name } => {
                if vi {
                    format!("khung giờ \"{name}\" được khai báo hai lần")
                } else {
                    format!("window \"{name}\" is declared twice")
                }
            }
            OverlappingWindows { first, second } => {
                if vi {
                    format!("khung giờ \"{first}\" và \"{second}\" chồng lên nhau vào cùng một ngày")
                } else {
                    format!("windows \"{first}\" and \"{second}\" overlap on a common day")
                }
            }
            NoWindows => lang
                .pick(
                    "chưa khai báo khung giờ phát nào ([[window]])",
                    "no broadcast window is declared ([[window]])",
                )
                .to_string(),
            BadTimezone { value } => {
                if vi {
                    format!("múi giờ \"{value}\" không tồn tại (ví dụ đúng: Asia/Ho_Chi_Minh)")
                } else {
                    format!("unknown time zone \"{value}\" (e.g. Asia/Ho_Chi_Minh)")
                }
            }
            BadBind { value } => {
                if vi {
                    format!("địa chỉ trang web \"{value}\" không hợp lệ, cần dạng địa_chỉ:cổng, ví dụ 127.0.0.1:8080")
                } else {
                    format!(
                        "web address \"{value}\" is not valid, expected address:port, e.g. 127.0.0.1:8080"
                    )
                }
            }
            BadLimit { name, value } => {
                if vi {
                    format!("giới hạn {name} = {value} không hợp lệ, cần số dương")
                } else {
                    format!("limit {name} = {value} is not valid, expected a positive number")
                }
            }
            UnknownWindow { name, known } => {
                let known = known.join(", ");
                if vi {
                    format!("không có khung giờ \"{name}\"; các khung giờ của đài: {known}")
                } else {
                    format!("there is no window \"{name}\"; the station's windows: {known}")
                }
            }
            BadCron { value, reason } => {
                if vi {
                    format!("biểu thức cron \"{value}\" không hợp lệ ({reason}); dạng: giây phút giờ ngày tháng thứ, ví dụ \"0 30 5 * * *\"")
                } else {
                    format!("cron expression \"{value}\" is not valid ({reason}); form: sec min hour day month weekday, e.g. \"0 30 5 * * *\"")
                }
            }
            FixedOutsideWindows { cron, time } => {
                if vi {
                    format!("mục giờ cố định \"{cron}\" rơi vào {time}, ngoài mọi khung giờ phát")
                } else {
                    format!("fixed item \"{cron}\" falls at {time}, outside every broadcast window")
                }
            }
            BadLevel { value } => {
                if vi {
                    format!("mức \"{value}\" không hợp lệ, dùng normal, priority hoặc emergency")
                } else {
                    format!("level \"{value}\" is not valid, use normal, priority or emergency")
                }
            }
            BadPeriod { value } => {
                if vi {
                    format!("chu kỳ \"{value}\" không hợp lệ, dùng day, week hoặc month")
                } else {
                    format!("period \"{value}\" is not valid, use day, week or month")
                }
            }
            BadWhat { value } => {
                if vi {
                    format!("loại chỉ tiêu \"{value}\" không hợp lệ, dùng airings hoặc new_items")
                } else {
                    format!("quota kind \"{value}\" is not valid, use airings or new_items")
                }
            }
            BadDate { value } => {
                if vi {
                    format!("ngày \"{value}\" không hợp lệ, cần dạng 2021-09-28 hoặc \"28/09/2021\"")
                } else {
                    format!("date \"{value}\" is not valid, expected 2021-09-28 or \"28/09/2021\"")
                }
            }
            UntilBeforeFrom { from, until } => {
                if vi {
                    format!("ngày kết thúc {until} trước ngày bắt đầu {from}")
                } else {
                    format!("the end date {until} is before the start date {from}")
                }
            }
            BadCount { name, value } => {
                if vi {
                    format!("{name} = {value} không hợp lệ, cần số nguyên dương")
                } else {
                    format!("{name} = {value} is not valid, expected a positive whole number")
                }
            }
            AtMostBelowAtLeast { at_least, at_most } => {
                if vi {
                    format!("at_most = {at_most} nhỏ hơn at_least = {at_least}")
                } else {
                    format!("at_most = {at_most} is below at_least = {at_least}")
                }
            }
            EmptyNumber => lang
                .pick("văn bản thiếu số hiệu (number)", "the directive has no number")
                .to_string(),
            DuplicateDirective { number, other } => {
                if vi {
                    format!(
                        "số hiệu \"{number}\" đã dùng cho văn bản trong {}",
                        other.display()
                    )
                } else {
                    format!(
                        "number \"{number}\" is already used by the directive in {}",
                        other.display()
                    )
                }
            }
            BadGlob { pattern, reason } => {
                if vi {
                    format!("mẫu tên clip \"{pattern}\" không hợp lệ: {reason}")
                } else {
                    format!("clip pattern \"{pattern}\" is not valid: {reason}")
                }
            }
            NoClipMatches { pattern } => {
                if vi {
                    format!("không có clip nào trong thư mục âm thanh khớp với \"{pattern}\"")
                } else {
                    format!("no clip in the audio folder matches \"{pattern}\"")
                }
            }
            UnknownClip { clip } => {
                if vi {
                    format!("không có clip \"{clip}\" trong thư mục âm thanh")
                } else {
                    format!("there is no clip \"{clip}\" in the audio folder")
                }
            }
            NoClipsListed => lang
                .pick(
                    "văn bản có chỉ tiêu phát nhưng chưa khai báo clip (clips = [...])",
                    "the directive has airing quotas but lists no clips (clips = [...])",
                )
                .to_string(),
            BadEvery { value } => {
                if vi {
                    format!("chu kỳ báo cáo \"{value}\" không hợp lệ, ví dụ \"6 months\" hoặc \"1 year\"")
                } else {
                    format!("report cycle \"{value}\" is not valid, e.g. \"6 months\" or \"1 year\"")
                }
            }
            BadReport => lang
                .pick(
                    "hạn báo cáo cần due = <ngày>, hoặc every = \"6 months\" cùng before = \"05-30\"",
                    "a report deadline needs due = <date>, or every = \"6 months\" with before = \"05-30\"",
                )
                .to_string(),
        }
    }
}

/// A problem in one of the files an officer edits, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub struct ConfigError {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong.
    pub problem: Problem,
}

impl ConfigError {
    /// A problem at byte `offset` of `source`.
    pub fn at(path: &Path, source: &str, offset: usize, problem: Problem) -> ConfigError {
        ConfigError {
            location: Location::at(path, source, offset),
            problem,
        }
    }

    /// A problem with a whole file.
    pub fn file(path: &Path, problem: Problem) -> ConfigError {
        ConfigError {
            location: Location::file(path),
            problem,
        }
    }
}

impl Localize for ConfigError {
    fn localize(&self, lang: Lang) -> String {
        format!("{}: {}", self.location, self.problem.localize(lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let src = "a = 1\nname = \"sáng\"\nx = ?";
        let offset = src.find('?').unwrap();
        assert_eq!(line_col(src, offset), (3, 5));
        let offset = src.find("\"s").unwrap() + "\"sá".len();
        assert_eq!(line_col(src, offset), (2, 11));
    }

    #[test]
    fn message_names_file_line_and_problem_in_both_languages() {
        let err = ConfigError::at(
            Path::new("config/loa.toml"),
            "x\ny",
            2,
            Problem::BadTime { value: "5h".into() },
        );
        assert_eq!(
            err.localize(Lang::Vi),
            "config/loa.toml:2:1: giờ \"5h\" không hợp lệ, cần dạng GG:PP (ví dụ 05:30)"
        );
        assert!(err.to_string().starts_with("config/loa.toml:2:1: time \"5h\""));
    }
}
