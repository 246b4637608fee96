//! `loa plan`: the calendar over a date range as a table, JSON or iCalendar.

use std::io::Write;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};
use comfy_table::Table;

use super::{date_arg, dates_in_order, load, write_atomically, Context, PlanFormat};
use crate::calendar::Calendar;
use crate::lang::{Lang, Localize};
use crate::planner::{plan, PlanRequest};
use crate::window::day_name_vi;

/// The longest range one command plans, days.
const MAX_DAYS: i64 = 3 * 366;

pub(super) struct Options<'a> {
    pub config: &'a Path,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub format: PlanFormat,
    pub output: Option<&'a Path>,
}

pub(super) fn run(
    opts: Options<'_>,
    ctx: &Context,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let Some(inputs) = load(opts.config, ctx, lang, err)? else {
        return Ok(1);
    };
    if !inputs.errors.is_empty() {
        for e in inputs.problem_lines(lang) {
            writeln!(err, "{e}")?;
        }
        writeln!(
            err,
            "{}",
            lang.pick(
                "Chưa lập lịch: hãy sửa các văn bản lỗi ở trên trước (loa check).",
                "No plan made: fix the directives above first (loa check)."
            )
        )?;
        return Ok(1);
    }
    for line in inputs
        .warning_lines(lang)
        .iter()
        .chain(inputs.problem_lines(lang).iter())
    {
        writeln!(err, "{}: {line}", lang.pick("lưu ý", "note"))?;
    }
    let today = ctx.now.with_timezone(&inputs.station.timezone).date_naive();
    let from = match date_arg(opts.from, lang, err)? {
        Ok(d) => d.unwrap_or(today),
        Err(code) => return Ok(code),
    };
    let to = match date_arg(opts.to, lang, err)? {
        Ok(d) => d.unwrap_or(from + Duration::days(6)),
        Err(code) => return Ok(code),
    };
    if !dates_in_order(from, to, lang, err)? {
        return Ok(2);
    }
    if (to - from).num_days() >= MAX_DAYS {
        writeln!(
            err,
            "{}",
            match lang {
                Lang::Vi => format!("khoảng ngày quá dài: tối đa {MAX_DAYS} ngày mỗi lần"),
                Lang::En => format!("the range is too long: at most {MAX_DAYS} days at a time"),
            }
        )?;
        return Ok(2);
    }
    let calendar = plan(PlanRequest {
        station: &inputs.station,
        directives: &inputs.directives,
        catalog: &inputs.catalog,
        from,
        to,
        // A preview: periods are planned whole, days before --from included
        // (and not shown), so a short range shows what a longer one would.
        not_before: None,
        past: &[],
    });
    let text = match opts.format {
        PlanFormat::Json => serde_json::to_string_pretty(&calendar.to_json())? + "\n",
        PlanFormat::Ics => crate::ics::to_ics(&calendar, &inputs.station.name, ctx.now, lang),
        PlanFormat::Table => table(&calendar, &inputs.station.name, from, to, lang),
    };
    match opts.output {
        Some(path) => {
            write_atomically(path, text.as_bytes())?;
            writeln!(
                err,
                "{} {} ({} {})",
                lang.pick("Đã ghi", "Wrote"),
                path.display(),
                calendar.airings.len(),
                lang.pick("lượt phát", "airings")
            )?;
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(0)
}

fn day_label(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{} {}", day_name_vi(date.weekday()), date.format("%d/%m/%Y")),
        Lang::En => date.format("%a %Y-%m-%d").to_string(),
    }
}

fn table(calendar: &Calendar, station: &str, from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    let mut s = format!(
        "{} · {} · {} → {}\n",
        lang.pick("Lịch phát", "Broadcast plan"),
        station,
        day_label(from, lang),
        day_label(to, lang)
    );
    let mut t = Table::new();
    t.load_preset(super::TABLE_STYLE);
    t.set_header(vec![
        lang.pick("Ngày", "Day"),
        lang.pick("Giờ", "Time"),
        lang.pick("Buổi", "Session"),
        "Clip",
        lang.pick("Văn bản", "Directive"),
        lang.pick("Loại", "Kind"),
    ]);
    let mut last_day = None;
    for a in &calendar.airings {
        let day = a.start.date_naive();
        let label = if last_day == Some(day) {
            String::new()
        } else {
            day_label(day, lang)
        };
        last_day = Some(day);
        t.add_row(vec![
            label,
            format!("{}–{}", a.start.format("%H:%M:%S"), a.end.format("%H:%M:%S")),
            a.window.clone(),
            a.clip.clone(),
            a.directive.clone().unwrap_or_default(),
            a.kind.localize(lang),
        ]);
    }
    if calendar.airings.is_empty() {
        s.push_str(lang.pick("(không có lượt phát nào)\n", "(no airings)\n"));
    } else {
        s.push_str(&format!("{t}\n"));
    }
    if !calendar.shortfalls.is_empty() {
        s.push_str(&format!(
            "\n{} ({}):\n",
            lang.pick("THIẾU CHỈ TIÊU", "SHORTFALLS"),
            calendar.shortfalls.len()
        ));
        let mut t = Table::new();
        t.load_preset(super::TABLE_STYLE);
        t.set_header(vec![
            lang.pick("Văn bản", "Directive"),
            lang.pick("Kỳ", "Period"),
            lang.pick("Cần", "Required"),
            lang.pick("Đã có", "Planned"),
            lang.pick("Lý do", "Reason"),
        ]);
        for sf in &calendar.shortfalls {
            let who = match (&sf.directive, &sf.clip) {
                (Some(d), Some(c)) => format!("{d} ({c})"),
                (Some(d), None) => d.clone(),
                (None, Some(c)) => c.clone(),
                (None, None) => String::new(),
            };
            let period = if sf.period_start == sf.period_end {
                sf.period_start.format("%d/%m/%Y").to_string()
            } else {
                format!(
                    "{}–{}",
                    sf.period_start.format("%d/%m"),
                    sf.period_end.format("%d/%m/%Y")
                )
            };
            t.add_row(vec![
                who,
                period,
                sf.required.to_string(),
                sf.planned.to_string(),
                sf.reason.localize(lang),
            ]);
        }
        s.push_str(&format!("{t}\n"));
    }
    s.push_str(&match lang {
        Lang::Vi => format!(
            "Tổng: {} lượt phát, {} kỳ thiếu chỉ tiêu.\n",
            calendar.airings.len(),
            calendar.shortfalls.len()
        ),
        Lang::En => format!(
            "Total: {} airings, {} periods short.\n",
            calendar.airings.len(),
            calendar.shortfalls.len()
        ),
    });
    s
}
