//! The extraction written as a `schedules/*.toml` draft: every value
//! followed by the words and the sentence it was read from, every open
//! question marked "KIỂM TRA" (CHECK) where it applies, and what is not for
//! the loudspeakers left as comments. Once `clips` is filled in, the draft
//! passes `loa check`.

use std::fmt::Write;

use chrono::NaiveDate;

use super::text::ascii_slug;
use super::{Due, ExtractedQuota, Extraction, Medium, What};
use crate::lang::{Lang, Localize};

/// A file name for the draft, without `.toml`: the number and sign
/// ("125-CV-BTGHU"), else the sign and date, else the subject.
pub fn file_stem(x: &Extraction) -> String {
    if let Some(n) = &x.number {
        let s = ascii_slug(&n.value);
        if !s.is_empty() {
            return s;
        }
    }
    let sign = x.flags.iter().find_map(|f| match f {
        super::Flag::NumberBlank { sign } => Some(ascii_slug(sign)),
        _ => None,
    });
    let date = x.issued.as_ref().map(|d| d.value.format("%Y-%m-%d").to_string());
    match (sign, date) {
        (Some(s), Some(d)) if !s.is_empty() => return format!("{s}-{d}"),
        (Some(s), None) if !s.is_empty() => return s,
        _ => {}
    }
    if let Some(subj) = &x.subject {
        let words: Vec<&str> = subj.value.split_whitespace().take(6).collect();
        let s = ascii_slug(&words.join(" ")).to_lowercase();
        if !s.is_empty() {
            return s;
        }
    }
    "van-ban-moi".to_string()
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A comment line quoting `text`, on one line.
fn cite(out: &mut String, label: &str, text: &str) {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let _ = writeln!(out, "#   {label}«{one}»");
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Writes the draft. `today` stands in for dates the text leaves open (and
/// is flagged); `source` names the imported file in the first comment.
pub fn draft_toml(x: &Extraction, source: &str, today: NaiveDate, lang: Lang) -> String {
    let check = lang.pick("KIỂM TRA", "CHECK");
    let src_label = lang.pick("câu gốc: ", "source: ");
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# {} \"{source}\" (loa directive import, {}).",
        lang.pick("Bản nháp đọc từ", "Draft read from"),
        today.format("%d/%m/%Y")
    );
    let _ = writeln!(
        o,
        "# {}",
        lang.pick(
            "Mỗi giá trị có câu gốc ngay dưới. Đối chiếu, điền clips, rồi chạy `loa check`.",
            "Each value has its source right below it. Check them, fill in clips, then run `loa check`."
        )
    );
    let flags = x.all_flags();
    if !flags.is_empty() {
        let _ = writeln!(o, "# {check}:");
        for f in flags {
            let _ = writeln!(o, "#   - {}", f.localize(lang));
        }
    }
    o.push('\n');

    // Header fields.
    let number = match &x.number {
        Some(n) => n.value.clone(),
        None => {
            let sign = x.flags.iter().find_map(|f| match f {
                super::Flag::NumberBlank { sign } => Some(sign.clone()),
                _ => None,
            });
            let date = x
                .issued
                .as_ref()
                .map(|d| d.value.format(" ngày %d/%m/%Y").to_string());
            match sign {
                Some(s) => format!("/{s}{}", date.unwrap_or_default()),
                None => format!("({}) {}", lang.pick("chưa rõ số", "no number"), file_stem(x)),
            }
        }
    };
    let _ = write!(o, "number = {}", toml_str(&number));
    match &x.number {
        Some(n) => {
            o.push('\n');
            cite(&mut o, src_label, &n.sentence);
        }
        None => {
            let _ = writeln!(
                o,
                "   # {check}: {}",
                lang.pick(
                    "ghi số, ký hiệu của văn bản",
                    "write the document's number and sign"
                )
            );
            if let Some(b) = &x.blank_sign {
                cite(&mut o, src_label, &b.sentence);
            }
        }
    }
    match &x.issuer {
        Some(i) => {
            let full = match &x.issuer_parent {
                Some(p) => format!("{}, {p}", i.value),
                None => i.value.clone(),
            };
            let _ = writeln!(o, "issuer = {}", toml_str(&full));
            cite(&mut o, src_label, &i.sentence);
        }
        None => {
            let _ = writeln!(
                o,
                "# issuer = \"\"   # {check}: {}",
                lang.pick("không thấy cơ quan ban hành", "no issuing body found")
            );
        }
    }
    match &x.issued {
        Some(d) => {
            let _ = writeln!(o, "issued = {}", day(d.value));
            cite(&mut o, src_label, &d.sentence);
        }
        None => {
            let _ = writeln!(
                o,
                "# issued = ?   # {check}: {}",
                lang.pick("không thấy ngày ban hành", "no date of issue found")
            );
        }
    }
    match &x.subject {
        Some(s) => {
            let _ = writeln!(o, "subject = {}", toml_str(&s.value));
            cite(&mut o, src_label, &s.sentence);
        }
        None => {
            let _ = writeln!(
                o,
                "# subject = \"\"   # {check}: {}",
                lang.pick("không thấy trích yếu", "no subject found")
            );
        }
    }
    let _ = writeln!(o, "level = \"normal\"");
    let _ = writeln!(
        o,
        "clips = []   # {}",
        lang.pick(
            "ĐIỀN: mã clip (tên tệp không đuôi) hoặc mẫu, ví dụ [\"antq-*\"]",
            "FILL IN: clip ids (file names without extension) or globs, e.g. [\"antq-*\"]"
        )
    );
    if let Some(p) = &x.period {
        let _ = writeln!(
            o,
            "# {}: «{}»",
            lang.pick("Thời gian của văn bản", "The document's period"),
            p.phrase
        );
    }

    for q in &x.quotas {
        o.push('\n');
        quota(&mut o, q, today, lang);
    }
    if !x.quotas.iter().any(|q| q.airing) {
        let _ = writeln!(
            o,
            "\n# {}\n# [[quota]]\n# at_least = 1\n# per = \"week\"\n# from = {}{}",
            lang.pick(
                "Văn bản không nêu số lượt phát trên loa. Nếu đài tự đặt chỉ tiêu:",
                "The document states no airing count. If the station sets its own quota:"
            ),
            day(x.issued.as_ref().map_or(today, |d| d.value)),
            x.period
                .as_ref()
                .and_then(|p| p.until)
                .map_or(String::new(), |u| format!("\n# until = {}", day(u)))
        );
    }

    for r in &x.reports {
        o.push('\n');
        let active = !matches!(r.due, Due::Once { date: None });
        let c = if active { "" } else { "# " };
        let _ = writeln!(o, "{c}[[report]]");
        match r.due {
            Due::Once { date: Some(d) } => {
                let _ = writeln!(o, "due = {}   # «{}»", day(d), r.phrase);
            }
            Due::Once { date: None } => {
                let _ = writeln!(o, "# due = ?   # {check}: «{}»", r.phrase);
            }
            Due::Every { months, month, day } => {
                let every = if months % 12 == 0 {
                    format!("{} year", months / 12)
                } else {
                    format!("{months} months")
                };
                let _ = writeln!(o, "every = \"{every}\"   # «{}»", r.phrase);
                let _ = writeln!(o, "before = \"{month:02}-{day:02}\"");
            }
        }
        for f in &r.flags {
            let _ = writeln!(o, "# {check}: {}", f.localize(lang));
        }
        cite(&mut o, src_label, &r.sentence);
    }

    if !x.ignored.is_empty() {
        let _ = writeln!(
            o,
            "\n# {}",
            lang.pick(
                "Những con số sau không phải chỉ tiêu phát (đã bỏ qua):",
                "These numbers are not airing quotas (left out):"
            )
        );
        for i in &x.ignored {
            let why = match i.reason {
                super::IgnoredReason::Length => lang.pick("thời lượng", "a length"),
                super::IgnoredReason::Count => lang.pick("số lượng, không phải số lượt", "a count of things"),
                super::IgnoredReason::Views => lang.pick("lượt xem, lượt truy cập", "views"),
                super::IgnoredReason::NotBroadcast => lang.pick("không phải phát thanh", "not broadcasting"),
            };
            let _ = writeln!(o, "#   «{}» ({why})", i.phrase);
        }
    }
    o
}

fn quota(o: &mut String, q: &ExtractedQuota, today: NaiveDate, lang: Lang) {
    let check = lang.pick("KIỂM TRA", "CHECK");
    let per = q.per.schedule_name();
    // Written as a live quota only when a schedule can hold it.
    let live = per.is_some() && q.at_least.is_some() && (q.airing || q.what == What::NewItems);
    let c = if live { "" } else { "# " };
    let note = match (q.what, q.medium, q.airing) {
        (What::NewItems, Medium::Other, _) => lang.pick(
            "tin, bài trên phương tiện khác (báo, trang tin, mạng xã hội): báo cáo, không xếp lịch",
            "items on other media (press, websites, social media): reported, not scheduled",
        ),
        (What::NewItems, ..) => lang.pick(
            "tin, bài mới: báo cáo, không xếp lịch",
            "new items: reported, not scheduled",
        ),
        (What::Airings, Medium::Other, _) => lang.pick(
            "phát trên phương tiện khác, không phải hệ thống loa: không xếp lịch",
            "airings on other media, not the loudspeakers: not scheduled",
        ),
        _ => lang.pick("số lượt phát trên hệ thống loa", "airings on the loudspeakers"),
    };
    let _ = writeln!(o, "{c}[[quota]]   # {note}");
    match q.at_least {
        Some(n) => {
            let _ = writeln!(o, "{c}at_least = {n}   # «{}»", q.phrase);
        }
        None => {
            let _ = writeln!(o, "# at_least = ?   # {check}: «{}»", q.phrase);
        }
    }
    if let Some(m) = q.at_most {
        let _ = writeln!(o, "{c}at_most = {m}");
    }
    match per {
        Some(p) => {
            let _ = writeln!(o, "{c}per = \"{p}\"");
        }
        None => {
            let _ = writeln!(o, "# per = ?   # {check}");
        }
    }
    let from = q.from.unwrap_or(today);
    match (&q.from_phrase, q.from) {
        (Some(p), Some(_)) => {
            let _ = writeln!(o, "{c}from = {}   # «{p}»", day(from));
        }
        _ => {
            let _ = writeln!(
                o,
                "{c}from = {}   # {check}: {}",
                day(from),
                lang.pick("văn bản không nêu ngày bắt đầu", "the document states no start")
            );
        }
    }
    if let (Some(u), Some(p)) = (q.until, &q.until_phrase) {
        let cu = if u < from { "# " } else { c };
        let focus = if q.focus {
            lang.pick(
                " (trọng tâm đến; sau đó vẫn thực hiện thường xuyên)",
                " (focus period end; the work goes on after it)",
            )
        } else {
            ""
        };
        let _ = writeln!(o, "{cu}until = {}   # «{p}»{focus}", day(u));
    }
    if q.what == What::NewItems {
        let _ = writeln!(o, "{c}what = \"new_items\"");
    }
    for f in &q.flags {
        let _ = writeln!(o, "# {check}: {}", f.localize(lang));
    }
    for s in &q.sentences {
        cite(o, lang.pick("câu gốc: ", "source: "), s);
    }
}
