//! A compliance report made from the station on disk: the directives
//! chosen, the log read (read-only) over the range, [`crate::report::build`],
//! and one of the formats. Shared by `loa report` and the web page, so both
//! refuse the same bad requests with the same words.

use chrono::{Duration, NaiveDate};

use crate::airing_log::AiringLog;
use crate::directive::Directive;
use crate::inputs::Inputs;
use crate::lang::{Lang, Localize};
use crate::report::{build, day_start, report_span, ReportRequest};
use crate::report_format::{to_csv, to_table};

/// The formats a report comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFileFormat {
    /// Text for a terminal.
    Table,
    /// CSV with a BOM, one row per airing.
    Csv,
    /// JSON.
    Json,
    /// Excel workbook.
    Xlsx,
    /// Word document (Decree 30 layout).
    Docx,
}

impl ReportFileFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFileFormat::Table => "txt",
            ReportFileFormat::Csv => "csv",
            ReportFileFormat::Json => "json",
            ReportFileFormat::Xlsx => "xlsx",
            ReportFileFormat::Docx => "docx",
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            ReportFileFormat::Table => "text/plain; charset=utf-8",
            ReportFileFormat::Csv => "text/csv; charset=utf-8",
            ReportFileFormat::Json => "application/json",
            ReportFileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ReportFileFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }
}

/// Picks the directives by number (all when `numbers` is empty); the
/// error names the unknown number and lists the known ones.
pub fn choose_directives(inputs: &Inputs, numbers: &[String], lang: Lang) -> Result<Vec<Directive>, String> {
    if numbers.is_empty() {
        return Ok(inputs.directives.clone());
    }
    let mut out = Vec::new();
    for n in numbers {
        match inputs.directives.iter().find(|d| d.number == n.trim()) {
            Some(d) => out.push(d.clone()),
            None => {
                let known: Vec<&str> = inputs.directives.iter().map(|d| d.number.as_str()).collect();
                return Err(match lang {
                    Lang::Vi => format!("không có văn bản số \"{n}\"; các văn bản: {}", known.join(", ")),
                    Lang::En => format!("there is no directive \"{n}\"; directives: {}", known.join(", ")),
                });
            }
        }
    }
    Ok(out)
}

/// Says why `from..=to` cannot be reported, if it cannot.
pub fn check_range(from: NaiveDate, to: NaiveDate, lang: Lang) -> Result<(), String> {
    if to < from {
        return Err(match lang {
            Lang::Vi => format!(
                "ngày cuối {} trước ngày đầu {}",
                to.format("%d/%m/%Y"),
                from.format("%d/%m/%Y")
            ),
            Lang::En => format!("the last day {to} is before the first day {from}"),
        });
    }
    Ok(())
}

/// Makes the report file. `today` closes the periods that have ended.
pub fn produce(
    inputs: &Inputs,
    directives: &[Directive],
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    format: ReportFileFormat,
    lang: Lang,
) -> Result<Vec<u8>, String> {
    check_range(from, to, lang)?;
    let tz = inputs.station.timezone;
    let log = AiringLog::open_read_only(&inputs.station.data_dir).map_err(|e| e.localize(lang))?;
    let (lo, hi) = report_span(directives, from, to);
    let fail = |e: &dyn std::fmt::Display| e.to_string();
    let records = log
        .records(
            Some(day_start(tz, lo)),
            Some(day_start(tz, hi + Duration::days(1))),
        )
        .map_err(|e| e.localize(lang))?;
    // A range wholly before the log began says nothing: say so instead.
    if let Some(first) = log.first_planned().map_err(|e| e.localize(lang))? {
        let first_day = first.with_timezone(&tz).date_naive();
        if to < first_day {
            return Err(match lang {
                Lang::Vi => format!(
                    "nhật ký phát bắt đầu từ ngày {}: khoảng {} – {} chưa có lượt phát nào để báo cáo",
                    first_day.format("%d/%m/%Y"),
                    from.format("%d/%m/%Y"),
                    to.format("%d/%m/%Y")
                ),
                Lang::En => {
                    format!("the airing log begins on {first_day}: {from} – {to} has no airings to report")
                }
            });
        }
    }
    let report = build(ReportRequest {
        station: &inputs.station,
        directives,
        catalog: &inputs.catalog,
        records: &records,
        from,
        to,
        today,
        head: log.head().map_err(|e| e.localize(lang))?,
    });
    Ok(match format {
        ReportFileFormat::Table => to_table(&report, lang).into_bytes(),
        ReportFileFormat::Csv => to_csv(&report, lang).map_err(|e| fail(&e))?,
        ReportFileFormat::Json => {
            (serde_json::to_string_pretty(&report).map_err(|e| fail(&e))? + "\n").into_bytes()
        }
        ReportFileFormat::Xlsx => crate::report_xlsx::to_xlsx(&report, lang).map_err(|e| fail(&e))?,
        ReportFileFormat::Docx => {
            crate::report_docx::to_docx(&report, &inputs.station, today, lang).map_err(|e| fail(&e))?
        }
    })
}

/// A file name for the report: `bao-cao-<directive>-<from>-<to>.<ext>`.
pub fn file_name(
    directives: &[Directive],
    all: bool,
    from: NaiveDate,
    to: NaiveDate,
    format: ReportFileFormat,
) -> String {
    let who = if all || directives.len() != 1 {
        "tat-ca".to_string()
    } else {
        directives[0]
            .number
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect()
    };
    format!(
        "bao-cao-{who}-{}-{}.{}",
        from.format("%Y%m%d"),
        to.format("%Y%m%d"),
        format.extension()
    )
}
