//! Exports of the log for officials and spreadsheets: CSV (UTF-8 with a BOM
//! so Excel shows Vietnamese) or a JSON array, one row or object per record,
//! times in station time. Records stream from the database to the writer, so
//! a million records need no more memory than one.

use std::io::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;

use super::{outcome_as_str, AiringLog, LogError, Record};

/// The column names, in the table's order, for CSV headers and JSON keys.
pub const EXPORT_COLUMNS: [&str; 18] = [
    "seq",
    "airing_id",
    "event",
    "recorded_at",
    "planned",
    "actual_start",
    "actual_end",
    "played_ms",
    "outcome",
    "reason",
    "clip",
    "clip_sha256",
    "directive",
    "kind",
    "station",
    "host",
    "prev_hash",
    "hash",
];

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated, UTF-8 with a BOM, a header row of English names.
    Csv,
    /// An array of objects keyed by the same names.
    Json,
}

/// Writes the records planned in `[from, to)` to `out` in `format`, times
/// in `tz`; returns how many were written.
pub fn export(
    log: &AiringLog,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    tz: Tz,
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<u64, LogError> {
    match format {
        ExportFormat::Csv => csv_export(log, from, to, tz, out),
        ExportFormat::Json => json_export(log, from, to, tz, out),
    }
}

fn write_err(source: std::io::Error) -> LogError {
    LogError::Write { source }
}

/// The record's fields as text, times in `tz`, NULL as `None`.
fn fields(r: &Record, tz: Tz) -> [Option<String>; 18] {
    // Milliseconds always: the hashed UTC text comes back by conversion.
    let t = |d: DateTime<Utc>| d.with_timezone(&tz).to_rfc3339_opts(SecondsFormat::Millis, false);
    [
        Some(r.seq.to_string()),
        Some(r.airing_id.clone()),
        Some(r.event.as_str().to_string()),
        Some(t(r.recorded_at)),
        Some(t(r.planned)),
        r.actual_start.map(t),
        r.actual_end.map(t),
        r.played_ms.map(|v| v.to_string()),
        r.outcome.map(|o| outcome_as_str(o).to_string()),
        r.reason.clone(),
        Some(r.clip.clone()),
        Some(r.clip_sha256.clone()),
        r.directive.clone(),
        Some(r.kind.as_str().to_string()),
        Some(r.station.clone()),
        Some(r.host.clone()),
        Some(r.prev_hash.clone()),
        Some(r.hash.clone()),
    ]
}

fn csv_export(
    log: &AiringLog,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    tz: Tz,
    out: &mut dyn Write,
) -> Result<u64, LogError> {
    // Without the BOM, Excel reads UTF-8 as the ANSI code page and mangles
    // every Vietnamese letter.
    out.write_all("\u{FEFF}".as_bytes()).map_err(write_err)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(EXPORT_COLUMNS).map_err(|e| write_err(e.into()))?;
    let n = log.each_record(from, to, |r| {
        let f = fields(&r, tz);
        w.write_record(f.iter().map(|v| v.as_deref().unwrap_or("")))
            .map_err(|e| write_err(e.into()))
    })?;
    w.flush().map_err(write_err)?;
    Ok(n)
}

fn json_export(
    log: &AiringLog,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    tz: Tz,
    out: &mut dyn Write,
) -> Result<u64, LogError> {
    out.write_all(b"[").map_err(write_err)?;
    let mut first = true;
    let n = log.each_record(from, to, |r| {
        let f = fields(&r, tz);
        let mut obj = serde_json::Map::with_capacity(f.len());
        for (name, value) in EXPORT_COLUMNS.iter().zip(f) {
            let v = match (*name, value) {
                (_, None) => serde_json::Value::Null,
                // Numbers stay numbers for scripts that read the export.
                ("seq", Some(_)) => r.seq.into(),
                ("played_ms", Some(_)) => r.played_ms.map_or(serde_json::Value::Null, Into::into),
                (_, Some(s)) => s.into(),
            };
            obj.insert(name.to_string(), v);
        }
        out.write_all(if first { b"\n" } else { b",\n" })
            .map_err(write_err)?;
        first = false;
        serde_json::to_writer(&mut *out, &obj).map_err(|e| write_err(e.into()))
    })?;
    out.write_all(if first { b"]\n" } else { b"\n]\n" })
        .map_err(write_err)?;
    Ok(n)
}
