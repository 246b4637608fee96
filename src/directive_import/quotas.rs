//! Quotas in directive sentences: a count, what is counted and per what
//! period ("ít nhất 02 lượt/ngày", "mỗi ngày 03 buổi", "hai lần mỗi
//! tuần", "02 tin, bài/tuần", "tối đa 3 lượt/ngày", "2 - 3 lượt/ngày"),
//! and the numbers that look alike but are not quotas (minutes per
//! session, loudspeaker counts, views).

use super::text::{number_at, Kind, Tok};
use super::{IgnoredReason, Per, What};

/// Words that can follow a count and make it a quota (for guarding dates).
pub const UNIT_WORDS: &[&str] = &["lượt", "lần", "buổi", "tin", "bài", "phóng", "chuyên", "bản"];

/// One count with its period, as found in a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaHit {
    /// Minimum per period.
    pub at_least: Option<u32>,
    /// Cap per period.
    pub at_most: Option<u32>,
    /// Airings or new content.
    pub what: What,
    /// The period.
    pub per: Per,
    /// Byte span in the lower-case text.
    pub start: usize,
    /// End of the span.
    pub end: usize,
}

/// A number that is not a quota, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IgnoredHit {
    /// Why it is not a quota.
    pub reason: IgnoredReason,
    /// Byte span.
    pub start: usize,
    /// End of the span.
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    AtLeast,
    AtMost,
}

fn marker_at(toks: &[Tok], i: usize) -> Option<(Bound, usize)> {
    let w = |k: usize| toks.get(k).map(|t| t.text).unwrap_or("");
    match (w(i), w(i + 1), w(i + 2)) {
        ("ít", "nhất", _) | ("tối", "thiểu", _) => Some((Bound::AtLeast, i + 2)),
        ("không", "ít", "hơn") => Some((Bound::AtLeast, i + 3)),
        ("không", "dưới", _) => Some((Bound::AtLeast, i + 2)),
        ("tối", "đa", _) | ("nhiều", "nhất", _) | ("không", "quá", _) => {
            Some((Bound::AtMost, i + 2))
        }
        ("không", "vượt", "quá") => Some((Bound::AtMost, i + 3)),
        _ => None,
    }
}

fn period_word(w: &str) -> Option<Per> {
    Some(match w {
        "ngày" => Per::Day,
        "tuần" => Per::Week,
        "tháng" => Per::Month,
        "quý" => Per::Quarter,
        "năm" => Per::Year,
        "buổi" => Per::Session,
        _ => return None,
    })
}

/// What a count at `i` counts: a quota unit, or a reason it is not one.
fn unit_at(toks: &[Tok], i: usize) -> Option<Result<(What, usize), IgnoredReason>> {
    let w = |k: usize| toks.get(k).map(|t| t.text).unwrap_or("");
    Some(match w(i) {
        "lượt" => {
            let views = [
                "xem", "truy", "thích", "chia", "tiếp", "người", "like", "share", "bình", "tương", "đọc",
                "view",
            ];
            if views.contains(&w(i + 1)) {
                Err(IgnoredReason::Views)
            } else {
                Ok((What::Airings, i + 1))
            }
        }
        "lần" | "buổi" => Ok((What::Airings, i + 1)),
        "tin" => {
            // "tin, bài", "tin/bài", "tin bài", "tin và bài", "tin"
            if w(i + 1) == "bài" {
                Ok((What::NewItems, i + 2))
            } else if ["/", ",", "-", "và"].contains(&w(i + 1)) && w(i + 2) == "bài" {
                Ok((What::NewItems, i + 3))
            } else {
                Ok((What::NewItems, i + 1))
            }
        }
        "bài" => Ok((What::NewItems, if w(i + 1) == "viết" { i + 2 } else { i + 1 })),
        "phóng" if w(i + 1) == "sự" => Ok((What::NewItems, i + 2)),
        "chuyên" if ["mục", "đề", "trang"].contains(&w(i + 1)) => Ok((What::NewItems, i + 2)),
        "bản" if w(i + 1) == "tin" => Ok((What::NewItems, i + 2)),
        "phút" | "giây" | "giờ" | "tiếng" => Err(IgnoredReason::Length),
        "cụm" | "loa" | "trạm" | "điểm" | "cột" | "thôn" | "xã" | "hộ" | "người" | "đài" | "bảng" | "pa"
        | "băng" | "đơn" | "cơ" | "đồng" | "triệu" | "nghìn" => Err(IgnoredReason::Count),
        _ => return None,
    })
}

/// "/ngày", "/01 tuần", "mỗi ngày", "một tuần", "trong ngày", "hằng tuần", "trên 1 ngày".
fn period_after(toks: &[Tok], i: usize) -> Option<(Per, usize)> {
    let t = toks.get(i)?;
    if !t.is_any(&["/", "mỗi", "một", "hằng", "hàng", "trong", "trên", "1", "01"]) {
        return None;
    }
    let mut j = i + 1;
    if toks.get(j).is_some_and(|t| t.is_any(&["1", "01", "một", "mỗi"])) {
        j += 1;
    }
    let p = period_word(toks.get(j)?.text)?;
    Some((p, j + 1))
}

/// "mỗi ngày ... 03 buổi": a period phrase shortly before the count, with
/// no other number in between; `lo` is where the previous quota ended.
fn period_before(toks: &[Tok], i: usize, lo: usize) -> Option<Per> {
    let from = i.saturating_sub(7).max(lo);
    for k in (from..i.saturating_sub(1)).rev() {
        if toks[k + 1..i].iter().any(|t| t.kind == Kind::Num || t.is(";")) {
            return None;
        }
        if toks[k].is_any(&["mỗi", "hằng", "hàng", "một", "trong"]) {
            if let Some(p) = period_word(toks[k + 1].text) {
                return Some(p);
            }
        }
    }
    None
}

/// Every quota and every look-alike number in one clause's tokens.
pub fn scan(toks: &[Tok]) -> (Vec<QuotaHit>, Vec<IgnoredHit>) {
    let mut hits: Vec<QuotaHit> = Vec::new();
    let mut ignored = Vec::new();
    let mut lo = 0;
    let mut i = 0;
    while i < toks.len() {
        let (m1, j) = match marker_at(toks, i) {
            Some((m, j)) => (Some(m), j),
            None => (None, i),
        };
        let Some((n1, mut j)) = number_at(toks, j) else {
            i += 1;
            continue;
        };
        // Part of a date or a document number, not a count.
        if toks.get(j).is_some_and(|t| t.is_any(&["/", ".", "-"]))
            && toks.get(j + 1).is_some_and(|t| t.kind == Kind::Num)
            && !unit_follows_number(toks, j + 1)
        {
            i = j + 2;
            continue;
        }
        let mut m2 = None;
        let mut n2 = None;
        // "2 - 3 lượt", "2 đến 3 lượt", "ít nhất 2, tối đa 4 lượt"
        if let Some(sep) = toks.get(j) {
            if sep.is_any(&["-", "đến", "tới"]) {
                if let Some((v, k)) = number_at(toks, j + 1) {
                    if matches!(unit_at(toks, k), Some(Ok(_))) {
                        n2 = Some(v);
                        j = k;
                    }
                }
            } else if sep.is_any(&[",", "và", "nhưng"]) {
                if let Some((m, k)) = marker_at(toks, j + 1) {
                    if let Some((v, k2)) = number_at(toks, k) {
                        if matches!(unit_at(toks, k2), Some(Ok(_))) {
                            m2 = Some(m);
                            n2 = Some(v);
                            j = k2;
                        }
                    }
                }
            }
        }
        let (what, mut k) = match unit_at(toks, j) {
            Some(Ok(u)) => u,
            Some(Err(reason)) => {
                ignored.push(IgnoredHit {
                    reason,
                    start: toks[i].start,
                    end: toks[j].end,
                });
                i = j + 1;
                continue;
            }
            None => {
                i += 1;
                continue;
            }
        };
        // "02 lượt phát/ngày", "2 lượt phát sóng mỗi ngày"
        if toks.get(k).is_some_and(|t| t.is("phát")) {
            k += 1;
            if toks.get(k).is_some_and(|t| t.is_any(&["sóng", "thanh", "lại"])) {
                k += 1;
            }
        }
        let mut m1 = m1;
        if toks.get(k).is_some_and(|t| t.is("trở")) && toks.get(k + 1).is_some_and(|t| t.is("lên")) {
            m1 = Some(Bound::AtLeast);
            k += 2;
        }
        let per = match period_after(toks, k) {
            Some((p, after)) => {
                k = after;
                Some(p)
            }
            None => period_before(toks, i, lo),
        };
        let Some(per) = per else {
            i = k;
            continue;
        };
        if toks.get(k).is_some_and(|t| t.is("trở")) && toks.get(k + 1).is_some_and(|t| t.is("lên")) {
            m1 = Some(Bound::AtLeast);
            k += 2;
        }
        let (at_least, at_most) = match (m1, n2, m2) {
            (_, Some(b), None) => (Some(n1), Some(b)),
            (Some(Bound::AtMost), Some(b), Some(_)) => (Some(b), Some(n1)),
            (_, Some(b), Some(_)) => (Some(n1), Some(b)),
            (Some(Bound::AtMost), None, _) => (None, Some(n1)),
            _ => (Some(n1), None),
        };
        let hit = QuotaHit {
            at_least,
            at_most,
            what,
            per,
            start: toks[i].start,
            end: toks[k - 1].end,
        };
        // "ít nhất 2 lượt/ngày, tối đa 4 lượt/ngày": one quota.
        match hits.last_mut() {
            Some(prev)
                if prev.what == hit.what
                    && prev.per == hit.per
                    && prev.at_most.is_none()
                    && hit.at_least.is_none()
                    && prev.at_least.zip(hit.at_most).is_some_and(|(l, m)| m >= l) =>
            {
                prev.at_most = hit.at_most;
                prev.end = hit.end;
            }
            _ => hits.push(hit),
        }
        lo = k;
        i = k;
    }
    (hits, ignored)
}

fn unit_follows_number(toks: &[Tok], i: usize) -> bool {
    number_at(toks, i).is_some_and(|(_, k)| matches!(unit_at(toks, k), Some(Ok(_))))
}

#[cfg(test)]
mod tests {
    use super::super::text::tokenize;
    use super::*;

    fn one(s: &str) -> QuotaHit {
        let toks = tokenize(s, 0, s.len());
        let (hits, _) = scan(&toks);
        assert_eq!(hits.len(), 1, "{s}: {hits:?}");
        hits[0]
    }

    #[test]
    fn counts_periods_and_bounds() {
        let q = one("ít nhất 02 lượt/ ngày");
        assert_eq!((q.at_least, q.per, q.what), (Some(2), Per::Day, What::Airings));
        let q = one("mỗi ngày 03 buổi");
        assert_eq!((q.at_least, q.per), (Some(3), Per::Day));
        let q = one("phát hai lượt mỗi ngày");
        assert_eq!(q.at_least, Some(2));
        let q = one("đảm bảo ít nhất 02 tin, bài/tuần");
        assert_eq!((q.what, q.per), (What::NewItems, Per::Week));
        let q = one("tối đa 3 lượt/ngày");
        assert_eq!((q.at_least, q.at_most), (None, Some(3)));
        let q = one("2 - 3 lượt/ngày");
        assert_eq!((q.at_least, q.at_most), (Some(2), Some(3)));
    }

    #[test]
    fn lengths_and_counts_are_not_quotas() {
        let s = "mỗi buổi 15 phút, lắp 02 cụm loa/thôn";
        let toks = tokenize(s, 0, s.len());
        let (hits, ignored) = scan(&toks);
        assert!(hits.is_empty());
        assert_eq!(ignored.len(), 2);
    }
}
