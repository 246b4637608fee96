//! What an officer checks after an import: each value read from the
//! document beside the words it was read from. The command line prints
//! these rows; the web page shows them as a table beside the draft.

use chrono::NaiveDate;

use super::{Due, Extraction, Medium, What};
use crate::lang::{Lang, Localize};

/// One value to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    /// What the value is ("Số, ký hiệu", "Chỉ tiêu phát trên loa").
    pub label: String,
    /// The value as read ("125-CV/BTGHU", "từ 28/09/2021").
    pub value: String,
    /// The words of the document it was read from; empty when not found.
    pub quote: String,
    /// The whole sentence around them, for context.
    pub sentence: String,
}

fn d(v: Option<NaiveDate>) -> String {
    v.map_or("?".to_string(), |d| d.format("%d/%m/%Y").to_string())
}

/// The rows, header fields first, then quotas, then report deadlines.
pub fn review_rows(x: &Extraction, lang: Lang) -> Vec<ReviewRow> {
    let none = lang.pick("(không thấy)", "(not found)").to_string();
    let mut rows = Vec::new();
    let mut field = |label: &str, v: Option<(String, &str, &str)>| {
        rows.push(match v {
            Some((value, phrase, sentence)) => ReviewRow {
                label: label.to_string(),
                value,
                quote: phrase.to_string(),
                sentence: sentence.to_string(),
            },
            None => ReviewRow {
                label: label.to_string(),
                value: none.clone(),
                quote: String::new(),
                sentence: String::new(),
            },
        })
    };
    field(
        lang.pick("Số, ký hiệu", "Number"),
        x.number
            .as_ref()
            .map(|s| (s.value.clone(), s.phrase.as_str(), s.sentence.as_str())),
    );
    field(
        lang.pick("Cơ quan ban hành", "Issuer"),
        x.issuer
            .as_ref()
            .map(|s| (s.value.clone(), s.phrase.as_str(), s.sentence.as_str())),
    );
    field(
        lang.pick("Ngày ban hành", "Issued"),
        x.issued
            .as_ref()
            .map(|s| (d(Some(s.value)), s.phrase.as_str(), s.sentence.as_str())),
    );
    field(
        lang.pick("Trích yếu", "Subject"),
        x.subject
            .as_ref()
            .map(|s| (s.value.clone(), s.phrase.as_str(), s.sentence.as_str())),
    );
    for q in &x.quotas {
        let kind = match (q.what, q.airing, q.medium) {
            (What::Airings, true, _) => lang.pick("Chỉ tiêu phát trên loa", "Airing quota"),
            (What::Airings, false, _) => lang.pick("Phát trên phương tiện khác", "Airings on other media"),
            (What::NewItems, _, Medium::Other) => {
                lang.pick("Tin, bài (phương tiện khác)", "Items (other media)")
            }
            (What::NewItems, ..) => lang.pick("Tin, bài mới", "New items"),
        };
        let mut value = q.phrase.clone();
        if let Some(f) = q.from {
            value.push_str(&format!(" {} {}", lang.pick("từ", "from"), d(Some(f))));
        }
        if q.until.is_some() {
            value.push_str(&format!(" {} {}", lang.pick("đến", "until"), d(q.until)));
        }
        rows.push(ReviewRow {
            label: kind.to_string(),
            value,
            quote: q.phrase.clone(),
            sentence: q.sentences.first().cloned().unwrap_or_default(),
        });
    }
    for r in &x.reports {
        let value = match r.due {
            Due::Once { date } => d(date),
            Due::Every { months, month, day } => match lang {
                Lang::Vi => format!("{months} tháng một lần, trước ngày {day:02}/{month:02}"),
                Lang::En => format!("every {months} months, before {day:02}/{month:02}"),
            },
        };
        rows.push(ReviewRow {
            label: lang.pick("Hạn báo cáo", "Report due").to_string(),
            value,
            quote: r.phrase.clone(),
            sentence: r.sentence.clone(),
        });
    }
    rows
}

/// What the officer must decide, as sentences.
pub fn review_flags(x: &Extraction, lang: Lang) -> Vec<String> {
    x.all_flags().iter().map(|f| f.localize(lang)).collect()
}
