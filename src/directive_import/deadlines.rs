//! Report deadlines: "trước ngày 30/01/2024", "chậm nhất ngày 15/7",
//! "định kỳ 6 tháng (trước ngày 30/5), hằng năm (trước ngày 30/10)".

use super::dates::{date_at, RawDate};
use super::text::{number_at, Tok};

/// One deadline phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineHit {
    /// Months between reports when the deadline recurs.
    pub every_months: Option<u32>,
    /// The day it is due before.
    pub date: RawDate,
    /// Byte span of the phrase (recurrence included).
    pub start: usize,
    /// End of the span.
    pub end: usize,
}

/// Every deadline phrase in a clause that is about reporting.
pub fn scan(toks: &[Tok]) -> Vec<DeadlineHit> {
    let mut hits: Vec<DeadlineHit> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let w = |k: usize| toks.get(k).map(|t| t.text).unwrap_or("");
        let at = match (w(i), w(i + 1)) {
            ("trước", _) => Some(i + 1),
            ("chậm", "nhất") => {
                let mut k = i + 2;
                while ["là", "vào", ":"].contains(&w(k)) {
                    k += 1;
                }
                Some(k)
            }
            ("hạn", "chót") | ("hạn", "cuối") => Some(i + 2),
            _ => None,
        };
        let Some((date, next)) = at.and_then(|k| date_at(toks, k, true)) else {
            i += 1;
            continue;
        };
        let lo = hits.last().map_or(0, |h| h.end);
        let (every_months, rec_start) = recurrence_before(toks, i, lo);
        let mut start = rec_start.unwrap_or(toks[i].start);
        let mut end = toks[next - 1].end;
        // Quote "định kỳ 6 tháng (trước ngày 30/5)" whole.
        if let Some(k) = toks.iter().position(|t| t.start == start) {
            if k >= 2 && toks[k - 2].is("định") && toks[k - 1].is("kỳ") {
                start = toks[k - 2].start;
            }
            if toks[k..next].iter().any(|t| t.is("(")) && toks.get(next).is_some_and(|t| t.is(")")) {
                end = toks[next].end;
            }
        }
        hits.push(DeadlineHit {
            every_months,
            date,
            start,
            end,
        });
        i = next;
    }
    hits
}

/// "định kỳ 6 tháng", "hằng năm", "hàng quý", "6 tháng một lần" shortly
/// before token `i`, not reaching back past byte `lo`.
fn recurrence_before(toks: &[Tok], i: usize, lo: usize) -> (Option<u32>, Option<usize>) {
    let from = i.saturating_sub(8);
    for k in (from..i).rev() {
        if toks[k].start < lo {
            break;
        }
        let prev = k.checked_sub(1).map(|p| toks[p].text).unwrap_or("");
        let unit = match toks[k].text {
            "năm" => 12,
            "quý" => 3,
            "tháng" => 1,
            _ => continue,
        };
        if ["hằng", "hàng", "mỗi"].contains(&prev) {
            return (Some(unit), Some(toks[k - 1].start));
        }
        if unit == 1 && k >= 1 {
            // "6 tháng", "sáu tháng": look for the number before it.
            for s in k.saturating_sub(3)..k {
                if let Some((n, after)) = number_at(toks, s) {
                    if after == k && (1..=12).contains(&n) {
                        return (Some(n), Some(toks[s].start));
                    }
                }
            }
        }
    }
    (None, None)
}
