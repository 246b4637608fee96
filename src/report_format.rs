//! Reports rendered for people: a terminal table and a CSV that Excel opens
//! with Vietnamese intact (UTF-8 with a BOM, one row per airing). JSON is the
//! report's own serde form.

use comfy_table::Table;

use crate::lang::Lang;
use crate::report::{DirectiveReport, PeriodRow, Report};

const TABLE_STYLE: &str = "     ═╪ ┆          ";

fn dmy(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn period_label(p: &PeriodRow) -> String {
    if p.start == p.end {
        dmy(p.start)
    } else {
        format!("{}–{}", p.start.format("%d/%m"), dmy(p.end))
    }
}

pub fn outcome_label(outcome: &str, lang: Lang) -> String {
    match outcome {
        "completed" => lang.pick("đã phát xong", "completed"),
        "interrupted" => lang.pick("bị ngắt", "interrupted"),
        "failed" => lang.pick("lỗi", "failed"),
        "missed" => lang.pick("lỡ", "missed"),
        _ => lang.pick("đang phát", "in progress"),
    }
    .to_string()
}

pub fn kind_label(kind: &str, lang: Lang) -> String {
    match kind {
        "quota" => lang.pick("chỉ tiêu", "quota"),
        "fixed" => lang.pick("cố định", "fixed"),
        "make-up" => lang.pick("phát bù", "make-up"),
        "manual" => lang.pick("thủ công", "manual"),
        "emergency" => lang.pick("khẩn cấp", "emergency"),
        other => other,
    }
    .to_string()
}

/// How a period went: met, still open, or not met.
pub fn result_label(met: bool, open: bool, lang: Lang) -> &'static str {
    match (met, open) {
        (true, _) => lang.pick("đạt", "met"),
        (false, true) => lang.pick("đang thực hiện", "in progress"),
        (false, false) => lang.pick("không đạt", "not met"),
    }
}

/// The same, with a period that was not met in capitals for the terminal.
fn result_shout(met: bool, open: bool, lang: Lang) -> String {
    let label = result_label(met, open, lang);
    if met || open {
        label.to_string()
    } else {
        label.to_uppercase()
    }
}

/// The one-line summary of a directive: "4568/KH-BCĐ: 184/184 lượt, đạt 100%".
pub fn summary_line(d: &DirectiveReport, lang: Lang) -> String {
    let pct = if d.percent.fract() == 0.0 {
        format!("{:.0}", d.percent)
    } else {
        format!("{:.1}", d.percent)
    };
    // Vietnamese writes a decimal comma: 92,9%.
    let pct = if lang == Lang::Vi {
        pct.replace('.', ",")
    } else {
        pct
    };
    match lang {
        Lang::Vi => format!("{}: {}/{} lượt, đạt {pct}%", d.number, d.credited, d.required),
        Lang::En => format!("{}: {}/{} airings, {pct}% met", d.number, d.credited, d.required),
    }
}

/// The report as text for a terminal.
pub fn to_table(r: &Report, lang: Lang) -> String {
    let mut s = format!(
        "{} · {} · {} → {}\n",
        lang.pick("BÁO CÁO KẾT QUẢ PHÁT SÓNG", "BROADCAST RESULTS"),
        r.station,
        dmy(r.from),
        dmy(r.to)
    );
    match &r.log_head {
        Some(h) => {
            s += &format!(
                "{} {}, {} {}\n",
                lang.pick("Nhật ký phát: bản ghi cuối số", "Airing log: last record"),
                h.seq,
                lang.pick("mã băm", "hash"),
                h.hash
            )
        }
        None => s += lang.pick("Nhật ký phát: chưa có bản ghi\n", "Airing log: no records yet\n"),
    }
    for d in &r.directives {
        s += &format!("\n{}\n", summary_line(d, lang));
        if let Some(subject) = &d.subject {
            s += &format!("  {subject}\n");
        }
        if !d.periods.is_empty() {
            let mut t = Table::new();
            t.load_preset(TABLE_STYLE);
            t.set_header(vec![
                lang.pick("Kỳ", "Period"),
                lang.pick("Cần", "Required"),
                lang.pick("Đã phát", "Aired"),
                lang.pick("Phát bù", "Make-ups"),
                lang.pick("Lỡ", "Missed"),
                lang.pick("Lỗi", "Failed"),
                lang.pick("Bị ngắt", "Cut"),
                lang.pick("Kết quả", "Result"),
                lang.pick("Lý do", "Reasons"),
            ]);
            for p in &d.periods {
                let result = result_shout(p.met, p.open, lang);
                t.add_row(vec![
                    period_label(p),
                    p.required.to_string(),
                    p.aired.to_string(),
                    p.make_ups.to_string(),
                    p.missed.to_string(),
                    p.failed.to_string(),
                    p.interrupted.to_string(),
                    result,
                    p.reasons.join("; "),
                ]);
            }
            s += &format!("{t}\n");
        }
        for c in &d.content {
            s += &format!(
                "  {} {}–{}: {}/{} {}\n",
                lang.pick("Tin, bài mới", "New items"),
                c.start.format("%d/%m"),
                dmy(c.end),
                c.added,
                c.required,
                result_shout(c.met, c.open, lang)
            );
        }
        if !d.airings.is_empty() {
            let mut t = Table::new();
            t.load_preset(TABLE_STYLE);
            t.set_header(vec![
                lang.pick("Ngày", "Date"),
                lang.pick("Buổi", "Session"),
                lang.pick("Giờ", "Time"),
                "Clip",
                lang.pick("Loại", "Kind"),
                lang.pick("Kết quả", "Outcome"),
                lang.pick("Lý do", "Reason"),
            ]);
            for a in &d.airings {
                t.add_row(vec![
                    dmy(a.date),
                    a.session.clone(),
                    a.started.unwrap_or(a.planned).format("%H:%M:%S").to_string(),
                    a.clip.clone(),
                    kind_label(a.kind, lang),
                    outcome_label(a.outcome, lang),
                    a.reason.clone().unwrap_or_default(),
                ]);
            }
            s += &format!("{t}\n");
        }
    }
    s
}

/// One row per airing, UTF-8 with a BOM, headers in the report's language.
pub fn to_csv(r: &Report, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record([
            lang.pick("Văn bản", "Directive"),
            lang.pick("Ngày", "Date"),
            lang.pick("Buổi", "Session"),
            lang.pick("Giờ dự kiến", "Planned"),
            lang.pick("Bắt đầu", "Started"),
            lang.pick("Kết thúc", "Ended"),
            "Clip",
            lang.pick("Loại", "Kind"),
            lang.pick("Kết quả", "Outcome"),
            lang.pick("Lý do", "Reason"),
        ])?;
        let time = |t: Option<chrono::DateTime<chrono_tz::Tz>>| {
            t.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default()
        };
        for d in &r.directives {
            for a in &d.airings {
                w.write_record([
                    d.number.as_str(),
                    &a.date.format("%Y-%m-%d").to_string(),
                    &a.session,
                    &time(Some(a.planned)),
                    &time(a.started),
                    &time(a.ended),
                    &a.clip,
                    &kind_label(a.kind, lang),
                    &outcome_label(a.outcome, lang),
                    a.reason.as_deref().unwrap_or(""),
                ])?;
            }
        }
        w.flush()?;
    }
    Ok(out)
}
