//! Reading a directive as it is written: the text of a công văn or kế
//! hoạch in, every value a schedule needs out (number, issuer, date,
//! subject, quotas with their dates, report deadlines), each with the
//! sentence it came from, and a flag for whatever the text leaves open.
//!
//! [`extract`] is pure: it takes the document's text and nothing else, so
//! the same text always gives the same extraction and tests need no files.
//! [`read_document`] turns a `.txt` or `.docx` file into that text, and
//! [`draft_toml`] writes the extraction as a `schedules/*.toml` draft for
//! the officer to check. Nothing here knows the seed documents: it reads
//! how administrative Vietnamese states numbers, dates and frequencies.

mod dates;
mod deadlines;
mod draft;
mod header;
mod input;
mod quotas;
mod review;
mod text;

use chrono::NaiveDate;
use serde::Serialize;

use crate::lang::{Lang, Localize};
use dates::{From, RangeHit, Until, Year};
use text::{lower, tokenize};

pub use draft::{draft_toml, file_stem};
pub use input::{decode_text, read_document, ReadError};
pub use review::{review_flags, review_rows, ReviewRow};
pub use text::normalize;

/// A value with the words that state it and the sentence around them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// The words it was read from.
    pub phrase: String,
    /// The sentence (or clause of a long one) they stand in.
    pub sentence: String,
}

/// The period a quota counts over, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// "/ngày", "mỗi ngày".
    Day,
    /// "/tuần".
    Week,
    /// "/tháng".
    Month,
    /// "/quý": not a schedule period.
    Quarter,
    /// "/năm": not a schedule period.
    Year,
    /// "/buổi": per session, not a schedule period.
    Session,
}

impl Per {
    /// The schedules-file name, when schedules support it.
    pub fn schedule_name(self) -> Option<&'static str> {
        match self {
            Per::Day => Some("day"),
            Per::Week => Some("week"),
            Per::Month => Some("month"),
            _ => None,
        }
    }

    fn words(self, lang: Lang) -> &'static str {
        match self {
            Per::Day => lang.pick("ngày", "day"),
            Per::Week => lang.pick("tuần", "week"),
            Per::Month => lang.pick("tháng", "month"),
            Per::Quarter => lang.pick("quý", "quarter"),
            Per::Year => lang.pick("năm", "year"),
            Per::Session => lang.pick("buổi", "session"),
        }
    }
}

/// What a quota counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    /// Airings ("lượt", "lần", "buổi").
    Airings,
    /// New content ("tin, bài", "phóng sự").
    NewItems,
}

/// Which medium a quota is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Medium {
    /// The loudspeaker station (đài truyền thanh, hệ thống loa).
    Loudspeaker,
    /// Other media only (newspapers, TV, websites, fanpages, banners).
    Other,
    /// The sentence names both.
    Mixed,
    /// The text names no medium.
    Unstated,
}

/// Where a quota's start came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Stated with the quota.
    Stated,
    /// "từ nay", "kể từ ngày ký": the document's date.
    DocumentDate,
    /// The document's period ("Thời gian: ...").
    DocumentPeriod,
    /// Not stated: the document's date, flagged.
    Assumed,
}

/// A quota found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtractedQuota {
    /// Minimum per period; `None` when only a cap is stated.
    pub at_least: Option<u32>,
    /// Cap per period ("tối đa").
    pub at_most: Option<u32>,
    /// The period.
    pub per: Per,
    /// What is counted.
    pub what: What,
    /// Which medium it is about.
    pub medium: Medium,
    /// Whether it is an airing quota for the loudspeaker station.
    pub airing: bool,
    /// First day.
    pub from: Option<NaiveDate>,
    /// The words the first day was read from.
    pub from_phrase: Option<String>,
    /// Where the first day came from.
    pub from_basis: Basis,
    /// Last day.
    pub until: Option<NaiveDate>,
    /// The words the last day was read from.
    pub until_phrase: Option<String>,
    /// "trọng tâm đến": the last day ends the focus period.
    pub focus: bool,
    /// The words of the quota itself ("ít nhất 02 lượt/ngày").
    pub phrase: String,
    /// Every sentence that states it (a directive may repeat a quota).
    pub sentences: Vec<String>,
    /// What the officer must decide.
    pub flags: Vec<Flag>,
}

/// When a report is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Due {
    /// Once, before a day.
    Once {
        /// The day; `None` when its year could not be settled.
        date: Option<NaiveDate>,
    },
    /// Every `months` months, before a day of the year.
    Every {
        /// Months between reports.
        months: u32,
        /// Month of the day it is due before.
        month: u32,
        /// Day of that month.
        day: u32,
    },
}

/// A report deadline found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtractedReport {
    /// When.
    pub due: Due,
    /// The words it was read from.
    pub phrase: String,
    /// The sentence.
    pub sentence: String,
    /// What the officer must decide.
    pub flags: Vec<Flag>,
}

/// Why a number that looks like a quota is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IgnoredReason {
    /// A length ("15 phút/buổi").
    Length,
    /// A count of things (loudspeakers, stations, people).
    Count,
    /// Views, likes, shares.
    Views,
    /// Sessions or times of something that is not broadcasting.
    NotBroadcast,
}

/// A number left out, shown so the officer can see it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ignored {
    /// Why.
    pub reason: IgnoredReason,
    /// The words.
    pub phrase: String,
    /// The sentence.
    pub sentence: String,
}

/// The document's own period ("Thời gian: từ ... đến ...").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentPeriod {
    /// First day.
    pub from: Option<NaiveDate>,
    /// Last day.
    pub until: Option<NaiveDate>,
    /// "trọng tâm đến".
    pub focus: bool,
    /// The words.
    pub phrase: String,
    /// The sentence.
    pub sentence: String,
}

/// Something the text leaves open, for the officer to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Flag {
    /// "Số: /BCĐ": the number was left blank.
    NumberBlank {
        /// The sign that is there.
        sign: String,
    },
    /// No number and sign found.
    NoNumber,
    /// No issuing body found.
    NoIssuer,
    /// No date of issue found.
    NoDate,
    /// No subject found.
    NoSubject,
    /// No quota found.
    NoQuota,
    /// A date without a year, and no document date to take it from.
    NoYear {
        /// The words.
        phrase: String,
    },
    /// A date without a year that could be either of two days.
    TwoPossibleDates {
        /// The words.
        phrase: String,
        /// The day written in the draft.
        chosen: NaiveDate,
        /// The other reading.
        other: NaiveDate,
    },
    /// The quota states no start; the document's date (or none) is used.
    NoStart,
    /// Only a cap is stated: there is no minimum to schedule.
    OnlyCap,
    /// A period schedules cannot express (per quarter, per year, per session).
    UnsupportedPeriod {
        /// The period.
        per: Per,
    },
    /// An airing quota that names no medium; assumed to be the loudspeakers.
    MediumUnstated,
    /// The end lies before the start.
    UntilBeforeFrom,
}

impl Localize for Flag {
    fn localize(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let s = |a: &str, b: &str| if vi { a.to_string() } else { b.to_string() };
        match self {
            Flag::NumberBlank { sign } => {
                if vi {
                    format!("văn bản để trống số (\"Số: /{sign}\"): ghi số khi có")
                } else {
                    format!("the number is left blank (\"Số: /{sign}\"): fill it in once known")
                }
            }
            Flag::NoNumber => s(
                "không thấy số, ký hiệu văn bản: ghi vào number",
                "no number and sign found: write it in number",
            ),
            Flag::NoIssuer => s("không thấy cơ quan ban hành", "no issuing body found"),
            Flag::NoDate => s(
                "không thấy ngày ban hành: ngày không ghi năm chưa xác định được",
                "no date of issue found: dates without a year cannot be settled",
            ),
            Flag::NoSubject => s("không thấy trích yếu (V/v)", "no subject line (V/v) found"),
            Flag::NoQuota => s(
                "văn bản không nêu số lượt phát: đài tự đặt chỉ tiêu",
                "the document states no airing count: the station sets its own quota",
            ),
            Flag::NoYear { phrase } => {
                if vi {
                    format!("\"{phrase}\" không ghi năm và không có ngày ban hành để suy ra: kiểm tra năm")
                } else {
                    format!("\"{phrase}\" has no year and there is no document date to take it from: check the year")
                }
            }
            Flag::TwoPossibleDates {
                phrase,
                chosen,
                other,
            } => {
                if vi {
                    format!(
                        "\"{phrase}\" có thể là {} hoặc {}: bản nháp ghi {}",
                        chosen.format("%d/%m/%Y"),
                        other.format("%d/%m/%Y"),
                        chosen.format("%d/%m/%Y")
                    )
                } else {
                    format!(
                        "\"{phrase}\" may be {} or {}: the draft has {}",
                        chosen.format("%d/%m/%Y"),
                        other.format("%d/%m/%Y"),
                        chosen.format("%d/%m/%Y")
                    )
                }
            }
            Flag::NoStart => s(
                "không nêu ngày bắt đầu: tạm lấy ngày ban hành",
                "no start date stated: the document's date is used",
            ),
            Flag::OnlyCap => s(
                "chỉ nêu mức tối đa, không có mức tối thiểu: có thể là giới hạn của đài ([limits])",
                "only a cap, no minimum: it may be a station limit ([limits])",
            ),
            Flag::UnsupportedPeriod { per } => {
                if vi {
                    format!(
                        "chỉ tiêu theo {}: lịch chỉ tính theo ngày, tuần, tháng",
                        per.words(lang)
                    )
                } else {
                    format!(
                        "a quota per {}: schedules count per day, week or month",
                        per.words(lang)
                    )
                }
            }
            Flag::MediumUnstated => s(
                "câu không nêu phương tiện: coi là phát trên hệ thống loa",
                "the sentence names no medium: taken as the loudspeakers",
            ),
            Flag::UntilBeforeFrom => s("ngày kết thúc trước ngày bắt đầu", "the end is before the start"),
        }
    }
}

/// Everything read from one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extraction {
    /// Number and sign ("125-CV/BTGHU").
    pub number: Option<Sourced<String>>,
    /// The sign alone when the number is left blank ("Số: /BCĐ" gives "BCĐ").
    pub blank_sign: Option<Sourced<String>>,
    /// The kind of document ("Công văn", "Kế hoạch").
    pub kind: Option<String>,
    /// Issuing body.
    pub issuer: Option<Sourced<String>>,
    /// The body above the issuer in the header.
    pub issuer_parent: Option<String>,
    /// Place in the date line.
    pub place: Option<Sourced<String>>,
    /// Date of issue.
    pub issued: Option<Sourced<NaiveDate>>,
    /// Subject.
    pub subject: Option<Sourced<String>>,
    /// The document's own period, when it states one apart from quotas.
    pub period: Option<DocumentPeriod>,
    /// Quotas, airing and other.
    pub quotas: Vec<ExtractedQuota>,
    /// Report deadlines.
    pub reports: Vec<ExtractedReport>,
    /// Numbers that look like quotas but are not.
    pub ignored: Vec<Ignored>,
    /// What the officer must decide about the document as a whole.
    pub flags: Vec<Flag>,
}

impl Extraction {
    /// Every flag, the document's and each quota's and report's.
    pub fn all_flags(&self) -> Vec<&Flag> {
        self.flags
            .iter()
            .chain(self.quotas.iter().flat_map(|q| &q.flags))
            .chain(self.reports.iter().flat_map(|r| &r.flags))
            .collect()
    }
}

/// A clause: a sentence, or the part of one between semicolons.
#[derive(Debug, Clone, Copy)]
struct Clause {
    start: usize,
    end: usize,
    sentence: usize,
}

/// Splits normalized text into sentences and clauses (byte spans).
fn split(norm: &str) -> (Vec<(usize, usize)>, Vec<Clause>) {
    let mut sentences = Vec::new();
    let mut clauses = Vec::new();
    let mut line_start = 0;
    for line in norm.split_inclusive('\n') {
        let base = line_start;
        line_start += line.len();
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut s_start = 0;
        let mut c_start = 0;
        for (k, &(i, c)) in chars.iter().enumerate() {
            let end = i + c.len_utf8();
            let next = chars.get(k + 1).map(|x| x.1);
            let after = chars.get(k + 2).map(|x| x.1);
            let sentence_end = matches!(c, '.' | '!' | '?')
                && next == Some(' ')
                && after.is_some_and(|a| a.is_uppercase() || a == '-');
            if c == ';' || sentence_end {
                clauses.push(Clause {
                    start: base + c_start,
                    end: base + end,
                    sentence: sentences.len(),
                });
                c_start = end;
            }
            if sentence_end {
                sentences.push((base + s_start, base + end));
                s_start = end;
            }
        }
        let end = line.trim_end_matches('\n').len();
        if c_start < end {
            clauses.push(Clause {
                start: base + c_start,
                end: base + end,
                sentence: sentences.len(),
            });
        }
        if s_start < end {
            sentences.push((base + s_start, base + end));
        }
    }
    (sentences, clauses)
}

/// The sentence to quote for a phrase at `at`: the whole sentence when it
/// is short, else the clause, else a window around the phrase.
fn quote(norm: &str, sentence: (usize, usize), clause: &Clause, at: (usize, usize)) -> String {
    const MAX: usize = 320;
    let whole = norm[sentence.0..sentence.1].trim();
    if whole.chars().count() <= MAX {
        return whole.to_string();
    }
    let part = norm[clause.start..clause.end].trim();
    if part.chars().count() <= MAX {
        return part.to_string();
    }
    let floor = |mut i: usize| {
        while !norm.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let a = floor(at.0.saturating_sub(150).max(clause.start));
    let b = floor((at.1 + 150).min(clause.end));
    format!("…{}…", norm[a..b].trim())
}

fn contains_word(hay: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(p) = hay[from..].find(needle) {
        let s = from + p;
        let e = s + needle.len();
        let before = hay[..s].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = hay[e..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return true;
        }
        from = e;
    }
    false
}

const LOUDSPEAKER: &[&str] = &[
    "truyền thanh",
    "hệ thống loa",
    "cụm loa",
    "loa phát thanh",
    "loa công cộng",
    "loa",
    "đài xã",
    "đài phường",
    "đài thị trấn",
];

const OTHER_MEDIA: &[&str] = &[
    "báo chí",
    "báo in",
    "báo điện tử",
    "trên báo",
    "các báo",
    "tạp chí",
    "truyền hình",
    "đài phát thanh",
    "trang thông tin",
    "cổng thông tin",
    "website",
    "trang web",
    "fanpage",
    "facebook",
    "zalo",
    "mạng xã hội",
    "youtube",
    "tiktok",
    "băng zôn",
    "băng-zôn",
    "băng rôn",
    "pa nô",
    "pa-nô",
    "panô",
    "áp phích",
    "áp-phích",
    "bảng điện tử",
    "cổ động trực quan",
    "internet",
];

fn medium_of(low: &str) -> Medium {
    let loud = LOUDSPEAKER.iter().any(|w| contains_word(low, w));
    let other = OTHER_MEDIA.iter().any(|w| contains_word(low, w)) || newspaper(low);
    match (loud, other) {
        (true, true) => Medium::Mixed,
        (true, false) => Medium::Loudspeaker,
        (false, true) => Medium::Other,
        (false, false) => Medium::Unstated,
    }
}

/// "báo" as a newspaper, not in "báo cáo", "thông báo", "cảnh báo".
fn newspaper(low: &str) -> bool {
    let words: Vec<&str> = low
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        *w == "báo"
            && words
                .get(i + 1)
                .is_none_or(|n| !["cáo", "động", "tin", "giá", "hiệu"].contains(n))
            && i.checked_sub(1)
                .is_none_or(|p| !["thông", "cảnh", "dự", "thời", "tình"].contains(&words[p]))
    })
}

/// Words that make a sentence about broadcasting.
fn broadcasts(low: &str) -> bool {
    [
        "phát",
        "truyền thanh",
        "loa",
        "tiếp âm",
        "tiếp sóng",
        "sóng",
        "đài",
    ]
    .iter()
    .any(|w| contains_word(low, w))
}

/// One end of a range, settled.
#[derive(Debug, Clone)]
struct Dated {
    date: Option<NaiveDate>,
    flags: Vec<Flag>,
}

/// A range with its ends settled against the document's date.
#[derive(Debug, Clone)]
struct Settled {
    from: Option<Dated>,
    from_document: bool,
    until: Option<Dated>,
    focus: bool,
    phrase: String,
}

fn settle(norm: &str, hit: &RangeHit, doc: Option<NaiveDate>) -> Settled {
    let partner = hit.stated_year();
    let phrase_of = |s: usize, e: usize| norm[s..e].trim().to_string();
    let year_flags = |phrase: &str, date: Option<NaiveDate>, year: Year| -> Vec<Flag> {
        match (year, date) {
            (Year::Unknown, _) => vec![Flag::NoYear {
                phrase: phrase.to_string(),
            }],
            (Year::Ambiguous(other), Some(chosen)) => vec![Flag::TwoPossibleDates {
                phrase: phrase.to_string(),
                chosen,
                other,
            }],
            _ => Vec::new(),
        }
    };
    let until = hit.until.map(|u| {
        let (s, e) = u.span();
        let phrase = phrase_of(s, e);
        let (date, year) = match u {
            Until::Date(d) => dates::resolve(&d, None, doc),
            Until::YearEnd(y, ..) => (NaiveDate::from_ymd_opt(y, 12, 31), Year::Stated),
            Until::MonthEnd(m, y, ..) => match y {
                Some(y) => (dates::month_end(y, m), Year::Stated),
                None => match doc {
                    Some(d) => (
                        dates::month_end(chrono::Datelike::year(&d), m),
                        Year::FromDocument,
                    ),
                    None => (None, Year::Unknown),
                },
            },
        };
        let flags = year_flags(&phrase, date, year);
        Dated { date, flags }
    });
    let mut from_document = false;
    let until_year = until
        .as_ref()
        .and_then(|u| u.date)
        .map(|d| chrono::Datelike::year(&d));
    let from = hit.from.map(|f| match f {
        From::Date(d) => {
            let phrase = phrase_of(d.start, d.end);
            // Without a year of its own the start takes the end's year.
            let (mut date, mut year) = dates::resolve(&d, partner.or(until_year), doc);
            // "từ 1/11 đến 31/1/2022": the start is in the year before.
            if let (Some(f), Some(u)) = (date, until.as_ref().and_then(|u| u.date)) {
                if f > u && d.year.is_none() {
                    date = chrono::Datelike::with_year(&f, chrono::Datelike::year(&f) - 1);
                    year = Year::FromRange;
                }
            }
            let flags = year_flags(&phrase, date, year);
            Dated { date, flags }
        }
        From::Document(s, e) => {
            from_document = true;
            let _ = (s, e);
            Dated {
                date: doc,
                flags: if doc.is_none() {
                    vec![Flag::NoDate]
                } else {
                    Vec::new()
                },
            }
        }
    });
    Settled {
        from,
        from_document,
        until,
        focus: hit.focus,
        phrase: phrase_of(hit.start, hit.end),
    }
}

/// Reads a directive's text.
pub fn extract(document: &str) -> Extraction {
    let norm = normalize(document);
    let low = lower(&norm);
    let head = header::read(&norm);
    let doc = head.issued.as_ref().map(|(d, _)| *d);
    let (sentences, clauses) = split(&norm);

    struct ClauseScan<'a> {
        toks: Vec<text::Tok<'a>>,
        quotas: Vec<quotas::QuotaHit>,
        ignored: Vec<quotas::IgnoredHit>,
        ranges: Vec<RangeHit>,
    }
    let scans: Vec<ClauseScan> = clauses
        .iter()
        .map(|c| {
            let toks = tokenize(&low, c.start, c.end);
            let (quotas, ignored) = quotas::scan(&toks);
            let ranges = dates::ranges(&toks);
            ClauseScan {
                toks,
                quotas,
                ignored,
                ranges,
            }
        })
        .collect();

    let mut flags = Vec::new();
    let number = match (&head.number, &head.blank_sign) {
        (Some((n, line)), _) => Some(Sourced {
            value: n.clone(),
            phrase: line.clone(),
            sentence: line.clone(),
        }),
        (None, Some((sign, _))) => {
            flags.push(Flag::NumberBlank { sign: sign.clone() });
            None
        }
        (None, None) => {
            flags.push(Flag::NoNumber);
            None
        }
    };
    let sourced = |v: &Option<(String, String)>| {
        v.as_ref().map(|(value, line)| Sourced {
            value: value.clone(),
            phrase: value.clone(),
            sentence: line.clone(),
        })
    };
    let issuer = sourced(&head.issuer);
    if issuer.is_none() {
        flags.push(Flag::NoIssuer);
    }
    let issued = head.issued.as_ref().map(|(d, line)| Sourced {
        value: *d,
        phrase: line.clone(),
        sentence: line.clone(),
    });
    if issued.is_none() {
        flags.push(Flag::NoDate);
    }
    let subject = sourced(&head.subject);
    if subject.is_none() {
        flags.push(Flag::NoSubject);
    }

    // The document's own period: a range in a clause that states no quota,
    // preferring the "Thời gian" section and "trọng tâm" phrases.
    let mut period: Option<(Settled, String)> = None;
    let mut period_rank = 0;
    for (c, scan) in clauses.iter().zip(&scans) {
        if !scan.quotas.is_empty() {
            continue;
        }
        let text = &low[sentences[c.sentence].0..sentences[c.sentence].1];
        for r in &scan.ranges {
            let rank = if r.focus || text.contains("thời gian") {
                2
            } else {
                1
            };
            if rank > period_rank {
                period_rank = rank;
                let q = quote(&norm, sentences[c.sentence], c, (r.start, r.end));
                period = Some((settle(&norm, r, doc), q));
            }
        }
    }

    let mut found: Vec<ExtractedQuota> = Vec::new();
    let mut ignored = Vec::new();
    for (ci, (c, scan)) in clauses.iter().zip(&scans).enumerate() {
        let sent = sentences[c.sentence];
        let sent_low = &low[sent.0..sent.1];
        for ig in &scan.ignored {
            ignored.push(Ignored {
                reason: ig.reason,
                phrase: norm[ig.start..ig.end].to_string(),
                sentence: quote(&norm, sent, c, (ig.start, ig.end)),
            });
        }
        for (qi, hit) in scan.quotas.iter().enumerate() {
            let phrase = norm[hit.start..hit.end].to_string();
            let sentence = quote(&norm, sent, c, (hit.start, hit.end));
            if hit.what == What::Airings && !broadcasts(sent_low) {
                ignored.push(Ignored {
                    reason: IgnoredReason::NotBroadcast,
                    phrase,
                    sentence,
                });
                continue;
            }
            let prev_end = qi.checked_sub(1).map_or(c.start, |p| scan.quotas[p].end);
            let next_start = scan.quotas.get(qi + 1).map_or(c.end, |n| n.start);
            // The medium: the words right around the quota, else the sentence.
            let before = &low[prev_end..hit.start];
            let after_all = &low[hit.end..next_start];
            let cut = [" và ", ",", ";"]
                .iter()
                .filter_map(|s| after_all.find(s))
                .min()
                .unwrap_or(after_all.len());
            let mut medium = medium_of(&format!("{before} {}", &after_all[..cut]));
            if medium == Medium::Unstated {
                medium = medium_of(sent_low);
            }
            let mut qflags = Vec::new();
            let airing = hit.what == What::Airings && medium != Medium::Other;
            if airing && medium == Medium::Unstated {
                qflags.push(Flag::MediumUnstated);
            }
            // Its dates: after it, before it, elsewhere in the sentence.
            let in_span = |r: &&RangeHit, a: usize, b: usize| r.start >= a && r.end <= b;
            let range = scan
                .ranges
                .iter()
                .find(|r| in_span(r, hit.end, next_start))
                .or_else(|| scan.ranges.iter().rev().find(|r| in_span(r, prev_end, hit.start)))
                .or_else(|| {
                    clauses
                        .iter()
                        .zip(&scans)
                        .enumerate()
                        // Another clause's dates belong to its own quota.
                        .filter(|(k, (o, s))| o.sentence == c.sentence && (*k == ci || s.quotas.is_empty()))
                        .find_map(|(_, (_, s))| s.ranges.first())
                })
                .map(|r| settle(&norm, r, doc));
            let (mut from, mut from_phrase, mut from_basis) = (None, None, Basis::Assumed);
            let (mut until, mut until_phrase, mut focus) = (None, None, false);
            if let Some(r) = &range {
                if let Some(f) = &r.from {
                    from = f.date;
                    from_phrase = Some(r.phrase.clone());
                    from_basis = if r.from_document {
                        Basis::DocumentDate
                    } else {
                        Basis::Stated
                    };
                    qflags.extend(f.flags.iter().cloned());
                }
                if let Some(u) = &r.until {
                    until = u.date;
                    until_phrase = Some(r.phrase.clone());
                    focus = r.focus;
                    qflags.extend(u.flags.iter().cloned());
                }
            }
            if let Some((p, _)) = &period {
                if from_phrase.is_none() {
                    if let Some(f) = p.from.as_ref().filter(|f| f.date.is_some()) {
                        from = f.date;
                        from_phrase = Some(p.phrase.clone());
                        from_basis = Basis::DocumentPeriod;
                    }
                }
                if until_phrase.is_none() {
                    if let Some(u) = p.until.as_ref().filter(|u| u.date.is_some()) {
                        if from.is_none_or(|f| u.date.is_some_and(|d| d >= f)) {
                            until = u.date;
                            until_phrase = Some(p.phrase.clone());
                            focus = p.focus;
                        }
                    }
                }
            }
            if from_phrase.is_none() {
                from = doc;
                qflags.push(Flag::NoStart);
            }
            if let (Some(f), Some(u)) = (from, until) {
                if u < f {
                    qflags.push(Flag::UntilBeforeFrom);
                }
            }
            if hit.at_least.is_none() {
                qflags.push(Flag::OnlyCap);
            }
            if hit.per.schedule_name().is_none() {
                qflags.push(Flag::UnsupportedPeriod { per: hit.per });
            }
            let q = ExtractedQuota {
                at_least: hit.at_least,
                at_most: hit.at_most,
                per: hit.per,
                what: hit.what,
                medium,
                airing,
                from,
                from_phrase,
                from_basis,
                until,
                until_phrase,
                focus,
                phrase,
                sentences: vec![sentence],
                flags: qflags,
            };
            // A directive often repeats a quota for each addressee.
            let same = found.iter_mut().find(|o| {
                (o.at_least, o.at_most, o.per, o.what, o.airing, o.from, o.until)
                    == (q.at_least, q.at_most, q.per, q.what, q.airing, q.from, q.until)
            });
            match same {
                Some(o) => {
                    o.sentences.extend(q.sentences);
                    if matches!(o.medium, Medium::Unstated | Medium::Mixed) && q.medium == Medium::Loudspeaker
                    {
                        o.medium = q.medium;
                        o.flags.retain(|f| *f != Flag::MediumUnstated);
                    }
                }
                None => found.push(q),
            }
        }
    }
    if !found.iter().any(|q| q.airing) {
        flags.push(Flag::NoQuota);
    }

    let mut reports: Vec<ExtractedReport> = Vec::new();
    for (c, scan) in clauses.iter().zip(&scans) {
        let sent = sentences[c.sentence];
        let clause_low = &low[c.start..c.end];
        let sent_low = &low[sent.0..sent.1];
        let reporting = |t: &str| {
            ["báo cáo", "gửi", "nộp", "tổng hợp"]
                .iter()
                .any(|w| contains_word(t, w))
        };
        if !reporting(clause_low) && !reporting(sent_low) {
            continue;
        }
        for hit in deadlines::scan(&scan.toks) {
            let phrase = norm[hit.start..hit.end].trim().to_string();
            let mut rflags = Vec::new();
            let due = match hit.every_months {
                Some(months) => Due::Every {
                    months,
                    month: hit.date.month,
                    day: hit.date.day,
                },
                None => {
                    let (date, year) = dates::resolve(&hit.date, None, doc);
                    match year {
                        Year::Unknown => rflags.push(Flag::NoYear {
                            phrase: phrase.clone(),
                        }),
                        Year::Ambiguous(other) => {
                            if let Some(chosen) = date {
                                rflags.push(Flag::TwoPossibleDates {
                                    phrase: phrase.clone(),
                                    chosen,
                                    other,
                                })
                            }
                        }
                        _ => {}
                    }
                    Due::Once { date }
                }
            };
            if reports.iter().any(|r| r.due == due) {
                continue;
            }
            reports.push(ExtractedReport {
                due,
                phrase,
                sentence: quote(&norm, sent, c, (hit.start, hit.end)),
                flags: rflags,
            });
        }
    }

    Extraction {
        number,
        blank_sign: head.blank_sign.as_ref().map(|(sign, line)| Sourced {
            value: sign.clone(),
            phrase: line.clone(),
            sentence: line.clone(),
        }),
        kind: head.kind.clone(),
        issuer,
        issuer_parent: head.issuer_parent.clone(),
        place: sourced(&head.place),
        issued,
        subject,
        period: period.map(|(p, sentence)| DocumentPeriod {
            from: p.from.and_then(|f| f.date),
            until: p.until.and_then(|u| u.date),
            focus: p.focus,
            phrase: p.phrase,
            sentence,
        }),
        quotas: found,
        reports,
        ignored,
        flags,
    }
}
