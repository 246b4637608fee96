//! Dates as directives write them ("28/9/2021", "ngày 21 tháng 12 năm
//! 2023", "16 - 2", "28/9" with the year left out) and the ranges around
//! quotas ("từ ... đến ...", "đến hết ngày", "trọng tâm đến", "kể từ ngày ký").

use chrono::{Datelike, NaiveDate};

use super::text::{number_at, Kind, Tok};

/// A date as written: the year may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawDate {
    /// Day of the month.
    pub day: u32,
    /// Month.
    pub month: u32,
    /// Year, when written (two-digit years are 20xx).
    pub year: Option<i32>,
    /// Byte span in the lower-case text.
    pub start: usize,
    /// End of the span.
    pub end: usize,
}

/// How a date's year was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Year {
    /// Written in the text.
    Stated,
    /// Taken from the other end of the same range.
    FromRange,
    /// The document's year (or the next one, to stay after the document).
    FromDocument,
    /// Could also be the year before: flagged.
    Ambiguous(NaiveDate),
    /// No year anywhere to take it from.
    Unknown,
}

/// A date read at token `i`. `loose` allows spaces around `-` and `.`
/// ("16 - 2"), which is only safe right after a date word.
pub fn date_at(toks: &[Tok], i: usize, loose: bool) -> Option<(RawDate, usize)> {
    let mut i = i;
    let mut loose = loose;
    if toks.get(i).is_some_and(|t| t.is("ngày")) {
        i += 1;
        loose = true;
    }
    let d = toks.get(i).filter(|t| t.kind == Kind::Num)?;
    let day: u32 = d.text.parse().ok().filter(|v| (1..=31).contains(v))?;
    let start = d.start;
    // "ngày 21 tháng 12 năm 2023"
    if loose && toks.get(i + 1).is_some_and(|t| t.is("tháng")) {
        let (month, mut j) = number_at(toks, i + 2).filter(|(m, _)| (1..=12).contains(m))?;
        let mut year = None;
        let mut end = toks[j - 1].end;
        if toks.get(j).is_some_and(|t| t.is("năm")) {
            if let Some(y) = toks
                .get(j + 1)
                .filter(|t| t.kind == Kind::Num && t.text.len() == 4)
            {
                year = y.text.parse().ok();
                end = y.end;
                j += 2;
            }
        }
        return Some((
            RawDate {
                day,
                month,
                year,
                start,
                end,
            },
            j,
        ));
    }
    let sep = toks.get(i + 1).filter(|t| t.is_any(&["/", "-", "."]))?;
    let tight = |a: &Tok, b: &Tok| a.end == b.start;
    let m = toks.get(i + 2).filter(|t| t.kind == Kind::Num)?;
    let spaced = !(tight(d, sep) && tight(sep, m));
    if !sep.is("/") && !loose && spaced {
        return None;
    }
    let month: u32 = m.text.parse().ok().filter(|v| (1..=12).contains(v))?;
    let mut end = m.end;
    let mut j = i + 3;
    let mut year = None;
    if let (Some(s2), Some(y)) = (toks.get(i + 3), toks.get(i + 4)) {
        if s2.is_any(&["/", "-", "."]) && y.kind == Kind::Num && (s2.is("/") || loose || tight(m, s2)) {
            let spaced = !tight(m, s2) || !tight(s2, y);
            match y.text.len() {
                4 => year = y.text.parse().ok(),
                // "16 - 2 - 23" is rare; a loose two-digit tail is more
                // likely the next date of a range ("16 - 2 - 22 - 5").
                2 if !spaced => year = y.text.parse::<i32>().ok().map(|v| 2000 + v),
                _ => {}
            }
            if year.is_some() {
                end = y.end;
                j = i + 5;
            }
        }
    }
    // A fourth number part ("1.000.000") is not a date.
    if year.is_some()
        && toks.get(j).is_some_and(|t| t.is(".") || t.is("/"))
        && toks.get(j + 1).is_some_and(|t| t.kind == Kind::Num)
        && tight(&toks[j - 1], &toks[j])
    {
        return None;
    }
    Some((
        RawDate {
            day,
            month,
            year,
            start,
            end,
        },
        j,
    ))
}

/// Settles the year of a date. `partner_year` is the year written at the
/// other end of the same range; `doc` is the document's date.
pub fn resolve(
    raw: &RawDate,
    partner_year: Option<i32>,
    doc: Option<NaiveDate>,
) -> (Option<NaiveDate>, Year) {
    if let Some(y) = raw.year {
        return (NaiveDate::from_ymd_opt(y, raw.month, raw.day), Year::Stated);
    }
    if let Some(y) = partner_year {
        return (NaiveDate::from_ymd_opt(y, raw.month, raw.day), Year::FromRange);
    }
    let Some(doc) = doc else {
        return (None, Year::Unknown);
    };
    let same = NaiveDate::from_ymd_opt(doc.year(), raw.month, raw.day);
    match same {
        Some(d) if d >= doc => (Some(d), Year::FromDocument),
        Some(d) => {
            // Before the document: the next year, as the text cannot ask
            // for the past; a few weeks before may still be a late letter
            // confirming a start already made, so that case is flagged.
            let next = NaiveDate::from_ymd_opt(doc.year() + 1, raw.month, raw.day);
            match next {
                Some(n) if (doc - d).num_days() <= 45 => (Some(n), Year::Ambiguous(d)),
                Some(n) => (Some(n), Year::FromDocument),
                None => (None, Year::Unknown),
            }
        }
        // 29/2 in a year without it.
        None => (None, Year::Unknown),
    }
}

/// How a range ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// "đến ngày X", "đến hết ngày X".
    Date(RawDate),
    /// "đến hết năm Y".
    YearEnd(i32, usize, usize),
    /// "đến hết tháng M/Y".
    MonthEnd(u32, Option<i32>, usize, usize),
}

impl Until {
    fn year(&self) -> Option<i32> {
        match *self {
            Until::Date(d) => d.year,
            Until::YearEnd(y, ..) => Some(y),
            Until::MonthEnd(_, y, ..) => y,
        }
    }

    /// Byte span.
    pub fn span(&self) -> (usize, usize) {
        match *self {
            Until::Date(d) => (d.start, d.end),
            Until::YearEnd(_, s, e) | Until::MonthEnd(_, _, s, e) => (s, e),
        }
    }
}

/// How a range starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    /// A date.
    Date(RawDate),
    /// "từ nay", "kể từ ngày ký": the document's date.
    Document(usize, usize),
}

/// A start and/or end found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RangeHit {
    /// Start.
    pub from: Option<From>,
    /// End.
    pub until: Option<Until>,
    /// "trọng tâm đến": the focus period ends, the work goes on.
    pub focus: bool,
    /// Byte span of the whole phrase.
    pub start: usize,
    /// End of the span.
    pub end: usize,
}

impl RangeHit {
    /// The year written at one end, for the other end.
    pub fn stated_year(&self) -> Option<i32> {
        self.until.and_then(|u| u.year()).or(match self.from {
            Some(From::Date(d)) => d.year,
            _ => None,
        })
    }
}

const UNTIL_WORDS: &[&str] = &["đến", "tới", "đển"];

/// Every start/end phrase in `toks`.
pub fn ranges(toks: &[Tok]) -> Vec<RangeHit> {
    let mut hits = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let focus = t.is("trọng") && toks.get(i + 1).is_some_and(|n| n.is("tâm"));
        if focus {
            // "trọng tâm đến 19/8", "trọng tâm là từ 1/8 đến 19/8"
            let mut j = i + 2;
            if toks.get(j).is_some_and(|n| n.is_any(&["là", ":"])) {
                j += 1;
            }
            if let Some(mut h) = from_at(toks, j).or_else(|| until_at(toks, j)) {
                h.focus = h.until.is_some();
                h.start = t.start;
                i = toks.iter().position(|x| x.start >= h.end).unwrap_or(toks.len());
                hits.push(h);
                continue;
            }
        }
        if let Some(h) = from_at(toks, i).or_else(|| until_at(toks, i)) {
            i = toks.iter().position(|x| x.start >= h.end).unwrap_or(toks.len());
            hits.push(h);
            continue;
        }
        i += 1;
    }
    hits
}

/// "từ ngày X (đến Y)", "kể từ ngày ký", "từ nay".
fn from_at(toks: &[Tok], i: usize) -> Option<RangeHit> {
    let mut j = i;
    if toks.get(j).is_some_and(|t| t.is_any(&["kể", "bắt"])) {
        j += 1;
        if toks.get(j - 1).is_some_and(|t| t.is("bắt")) && toks.get(j).is_some_and(|t| t.is("đầu")) {
            j += 1;
        }
    }
    if !toks.get(j).is_some_and(|t| t.is("từ")) {
        return None;
    }
    let start = toks[i].start;
    j += 1;
    let w = |k: usize| toks.get(k).map(|t| t.text).unwrap_or("");
    // Relative starts: the document's own date.
    let relative = match (w(j), w(j + 1), w(j + 2)) {
        ("nay", ..) => Some(j + 1),
        ("ngày", "ký" | "kí", _) => Some(j + 2),
        ("ngày", "ban", "hành") => Some(j + 3),
        ("khi", "ban", "hành") => Some(j + 3),
        _ => None,
    };
    let (from, mut next) = match relative {
        Some(k) => (From::Document(start, toks[k - 1].end), k),
        None => {
            let (d, k) = date_at(toks, j, true)?;
            // "từ 2 - 3 lượt/ngày" is a count, not the 2nd of March.
            if d.year.is_none() && toks.get(k).is_some_and(|t| t.is_any(super::quotas::UNIT_WORDS)) {
                return None;
            }
            (From::Date(d), k)
        }
    };
    let mut end = toks[next - 1].end;
    let mut until = None;
    // "đến ngày Y", "- Y", "cho đến hết ngày Y"
    if toks.get(next).is_some_and(|t| t.is("cho")) {
        next += 1;
    }
    if toks.get(next).is_some_and(|t| t.is_any(UNTIL_WORDS) || t.is("-")) {
        if let Some((u, k)) = until_tail(toks, next + 1) {
            until = Some(u);
            end = toks[k - 1].end;
        }
    }
    Some(RangeHit {
        from: Some(from),
        until,
        focus: false,
        start,
        end,
    })
}

/// "đến (hết) (ngày) X" standing alone.
fn until_at(toks: &[Tok], i: usize) -> Option<RangeHit> {
    let mut j = i;
    if toks.get(j).is_some_and(|t| t.is("cho")) {
        j += 1;
    }
    if !toks.get(j).is_some_and(|t| t.is_any(UNTIL_WORDS)) {
        return None;
    }
    let (u, k) = until_tail(toks, j + 1)?;
    Some(RangeHit {
        from: None,
        until: Some(u),
        focus: false,
        start: toks[i].start,
        end: toks[k - 1].end,
    })
}

fn until_tail(toks: &[Tok], i: usize) -> Option<(Until, usize)> {
    let mut j = i;
    let through = toks.get(j).is_some_and(|t| t.is("hết"));
    if through {
        j += 1;
    }
    if through || toks.get(j).is_some_and(|t| t.is_any(&["năm", "tháng"])) {
        let w = toks.get(j).map(|t| t.text).unwrap_or("");
        let start = toks.get(j).map(|t| t.start).unwrap_or(0);
        if w == "năm" {
            let y = toks
                .get(j + 1)
                .filter(|t| t.kind == Kind::Num && t.text.len() == 4)?;
            // "đến năm 2030" names a goal, not a schedule: only "đến hết năm".
            if !through {
                return None;
            }
            return Some((Until::YearEnd(y.text.parse().ok()?, start, y.end), j + 2));
        }
        if w == "tháng" {
            let (m, k) = number_at(toks, j + 1).filter(|(m, _)| (1..=12).contains(m))?;
            if !through {
                return None;
            }
            let mut end = toks[k - 1].end;
            let mut next = k;
            let mut year = None;
            if toks.get(k).is_some_and(|t| t.is_any(&["/", "năm", "-"])) {
                if let Some(y) = toks
                    .get(k + 1)
                    .filter(|t| t.kind == Kind::Num && t.text.len() == 4)
                {
                    year = y.text.parse().ok();
                    end = y.end;
                    next = k + 2;
                }
            }
            return Some((Until::MonthEnd(m, year, start, end), next));
        }
    }
    let (d, k) = date_at(toks, j, true)?;
    Some((Until::Date(d), k))
}

/// The last day of a month.
pub fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

#[cfg(test)]
mod tests {
    use super::super::text::tokenize;
    use super::*;

    fn first_range(s: &str) -> RangeHit {
        let toks = tokenize(s, 0, s.len());
        ranges(&toks)[0]
    }

    #[test]
    fn ranges_with_spaced_dashes_and_missing_years() {
        let h = first_range("từ 16 - 2 đến 22 - 5");
        assert!(matches!(
            h.from,
            Some(From::Date(RawDate {
                day: 16,
                month: 2,
                year: None,
                ..
            }))
        ));
        assert!(matches!(
            h.until,
            Some(Until::Date(RawDate {
                day: 22,
                month: 5,
                ..
            }))
        ));
        let h = first_range("trọng tâm đến 19/8/2022");
        assert!(h.focus);
        let doc = NaiveDate::from_ymd_opt(2021, 9, 27);
        let raw = RawDate {
            day: 28,
            month: 9,
            year: None,
            start: 0,
            end: 0,
        };
        assert_eq!(resolve(&raw, None, doc).0, NaiveDate::from_ymd_opt(2021, 9, 28));
        let raw = RawDate {
            day: 5,
            month: 1,
            year: None,
            start: 0,
            end: 0,
        };
        assert_eq!(resolve(&raw, None, doc).0, NaiveDate::from_ymd_opt(2022, 1, 5));
    }
}
