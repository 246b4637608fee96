//! `loa report`: the compliance report over a date range, read straight from
//! the log (read-only; it never blocks the daemon's writes).

use std::io::Write;
use std::path::Path;

use chrono::Datelike;

use super::{date_arg, dates_in_order, load, write_atomically, Context, ReportFormat};
use crate::lang::Lang;
use crate::report_file::{choose_directives, produce, ReportFileFormat};

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
    let numbers: Vec<String> = opts.directive.map(|n| vec![n.to_string()]).unwrap_or_default();
    let directives = match choose_directives(&inputs, &numbers, lang) {
        Ok(d) => d,
        Err(msg) => {
            writeln!(err, "{msg}")?;
            return Ok(1);
        }
    };
    let format = match opts.format {
        ReportFormat::Table => ReportFileFormat::Table,
        ReportFormat::Csv => ReportFileFormat::Csv,
        ReportFormat::Json => ReportFileFormat::Json,
        ReportFormat::Xlsx => ReportFileFormat::Xlsx,
        ReportFormat::Docx => ReportFileFormat::Docx,
    };
    let bytes = match produce(&inputs, &directives, from, to, today, format, lang) {
        Ok(b) => b,
        Err(msg) => {
            writeln!(err, "{msg}")?;
            return Ok(1);
        }
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
