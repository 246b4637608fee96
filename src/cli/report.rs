//! `loa report`: the compliance report over a date range, read straight from
//! the log (read-only; it never blocks the daemon's writes).

use std::io::Write;
use std::path::Path;

use chrono::{Datelike, Duration};

use super::{date_arg, dates_in_order, load, write_atomically, Context, ReportFormat};
use crate::airing_log::AiringLog;
use crate::lang::{Lang, Localize};
use crate::report::{build, day_start, report_span, ReportRequest};
use crate::report_format::{to_csv, to_table};

pub(super) struct Options<'a> {
    pub config: &'a Path,
    pub directive: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub format: ReportFormat,
    pub output: Option<&'a Path>,
}

pub(super) fn run(
    opts: Options<'_>,
    ctx: &Context,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    // A Word file is binary: on a terminal it is garbage, so it needs a file.
    if matches!(opts.format, ReportFormat::Docx) && opts.output.is_none() {
        writeln!(
            err,
            "{}",
            lang.pick(
                "--format docx tạo tệp Word: cần thêm --output <tệp.docx>, ví dụ --output bao-cao.docx",
                "--format docx makes a Word file: add --output <file.docx>, e.g. --output report.docx",
            )
        )?;
        return Ok(2);
    }
    let Some(inputs) = load(opts.config, ctx, lang, err)? else {
        return Ok(1);
    };
    let tz = inputs.station.timezone;
    let today = ctx.now.with_timezone(&tz).date_naive();
    let from = match date_arg(opts.from, lang, err)? {
        Ok(d) => d.unwrap_or_else(|| today.with_day(1).unwrap_or(today)),
        Err(code) => return Ok(code),
    };
    let to = match date_arg(opts.to, lang, err)? {
        Ok(d) => d.unwrap_or(today),
        Err(code) => return Ok(code),
    };
    if !dates_in_order(from, to, lang, err)? {
        return Ok(2);
    }
    let directives: Vec<_> = match opts.directive {
        None => inputs.directives.clone(),
        Some(n) => {
            let found: Vec<_> = inputs
                .directives
                .iter()
                .filter(|d| d.number == n.trim())
                .cloned()
                .collect();
            if found.is_empty() {
                let known: Vec<&str> = inputs.directives.iter().map(|d| d.number.as_str()).collect();
                writeln!(
                    err,
                    "{}",
                    match lang {
                        Lang::Vi => format!("không có văn bản số \"{n}\"; các văn bản: {}", known.join(", ")),
                        Lang::En =>
                            format!("there is no directive \"{n}\"; directives: {}", known.join(", ")),
                    }
                )?;
                return Ok(1);
            }
            found
        }
    };
    let log = match AiringLog::open_read_only(&inputs.station.data_dir) {
        Ok(l) => l,
        Err(e) => {
            writeln!(err, "{}", e.localize(lang))?;
            return Ok(1);
        }
    };
    let (lo, hi) = report_span(&directives, from, to);
    let records = log.records(
        Some(day_start(tz, lo)),
        Some(day_start(tz, hi + Duration::days(1))),
    )?;
    // A range wholly before the log began says nothing: say so instead.
    if let Some(first) = log.records(None, None)?.first() {
        let first_day = first.planned.with_timezone(&tz).date_naive();
        if to < first_day {
            writeln!(
                err,
                "{}",
                match lang {
                    Lang::Vi => format!(
                        "nhật ký phát bắt đầu từ ngày {}: khoảng {} – {} chưa có lượt phát nào để báo cáo",
                        first_day.format("%d/%m/%Y"),
                        from.format("%d/%m/%Y"),
                        to.format("%d/%m/%Y")
                    ),
                    Lang::En => format!(
                        "the airing log begins on {first_day}: {from} – {to} has no airings to report"
                    ),
                }
            )?;
            return Ok(1);
        }
    }
    let report = build(ReportRequest {
        station: &inputs.station,
        directives: &directives,
        catalog: &inputs.catalog,
        records: &records,
        from,
        to,
        today,
        head: log.head()?,
    });
    let bytes = match opts.format {
        ReportFormat::Table => to_table(&report, lang).into_bytes(),
        ReportFormat::Csv => to_csv(&report, lang)?,
        ReportFormat::Json => (serde_json::to_string_pretty(&report)? + "\n").into_bytes(),
        ReportFormat::Xlsx => crate::report_xlsx::to_xlsx(&report, lang)?,
        ReportFormat::Docx => crate::report_docx::to_docx(&report, &inputs.station, today, lang)?,
    };
    match opts.output {
        Some(path) => {
            write_atomically(path, &bytes)?;
            writeln!(err, "{} {}", lang.pick("Đã ghi", "Wrote"), path.display())?;
        }
        None => out.write_all(&bytes)?,
    }
    Ok(0)
}
