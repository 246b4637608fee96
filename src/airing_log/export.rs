//! Exports of the log for officials and spreadsheets: CSV (UTF-8 with a BOM
//! so Excel shows Vietnamese) or a JSON array, one row or object per record,
//! times in station time. Records stream from the database to the writer, so
//! a million records need no more memory than one.

use std::io::Write;

use chrono::{
    DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, SecondsFormat, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

use super::{AiringLog, LogError};

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

/// Columns (in [`EXPORT_COLUMNS`]) that hold instants.
const TIME_COLUMNS: [usize; 4] = [3, 4, 5, 6];

/// Columns exported as JSON numbers.
const NUMBER_COLUMNS: [usize; 2] = [0, 7];

/// Rows per batch handed from the reading thread to the writing one.
const BATCH_ROWS: usize = 2048;

/// Rows' fields as bytes in one reused buffer, instants converted to
/// station time: no `Record`, no allocation per field, because an export
/// of years of records spends its time here.
struct Batch {
    buf: Vec<u8>,
    /// `EXPORT_COLUMNS.len()` spans per row; `None` for NULL.
    spans: Vec<Option<(usize, usize)>>,
}

impl Batch {
    fn new() -> Batch {
        Batch {
            buf: Vec::with_capacity(BATCH_ROWS * 600),
            spans: Vec::with_capacity(BATCH_ROWS * EXPORT_COLUMNS.len()),
        }
    }

    fn rows(&self) -> usize {
        self.spans.len() / EXPORT_COLUMNS.len()
    }

    fn clear(&mut self) {
        self.buf.clear();
        self.spans.clear();
    }

    /// Adds `row` as the database holds it. Values the log never writes (a
    /// blob, a bad instant) are shown as they are: an export shows the file,
    /// `verify` judges it.
    fn push_row(&mut self, row: &rusqlite::Row<'_>, tz: Tz) -> rusqlite::Result<()> {
        use rusqlite::types::ValueRef;
        for i in 0..EXPORT_COLUMNS.len() {
            let start = self.buf.len();
            let present = match row.get_ref(i)? {
                ValueRef::Null => false,
                ValueRef::Text(t) if TIME_COLUMNS.contains(&i) => {
                    push_station_time(&mut self.buf, t, tz);
                    true
                }
                ValueRef::Text(t) => {
                    self.buf.extend_from_slice(t);
                    true
                }
                ValueRef::Integer(v) => {
                    self.buf.extend_from_slice(v.to_string().as_bytes());
                    true
                }
                ValueRef::Real(v) => {
                    self.buf.extend_from_slice(v.to_string().as_bytes());
                    true
                }
                ValueRef::Blob(b) => {
                    for byte in b {
                        self.buf.extend_from_slice(format!("{byte:02x}").as_bytes());
                    }
                    true
                }
            };
            self.spans.push(present.then_some((start, self.buf.len())));
        }
        Ok(())
    }

    /// Field `i` of row `r`.
    fn field(&self, r: usize, i: usize) -> Option<&[u8]> {
        self.spans[r * EXPORT_COLUMNS.len() + i].map(|(a, b)| &self.buf[a..b])
    }
}

/// Reads the records planned in `[from, to)` on a thread of its own (with
/// its own read-only connection) while `write` formats and writes the
/// previous batch here: SQLite and the formatting each take about half the
/// time. Returns how many records there were.
fn each_batch(
    log: &AiringLog,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    tz: Tz,
    mut write: impl FnMut(&Batch) -> Result<(), LogError>,
) -> Result<u64, LogError> {
    let (sql, args) = super::select_planned(from, to);
    let path = log.path();
    std::thread::scope(|scope| {
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
        let reader = scope.spawn(move || -> rusqlite::Result<u64> {
            let conn = super::read_only_connection(path)?;
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
            let mut batch = Batch::new();
            let mut n = 0;
            while let Some(row) = rows.next()? {
                batch.push_row(row, tz)?;
                n += 1;
                if batch.rows() == BATCH_ROWS {
                    let next = empty_rx.try_recv().unwrap_or_else(|_| Batch::new());
                    if full_tx.send(std::mem::replace(&mut batch, next)).is_err() {
                        return Ok(n); // the writer stopped on an error of its own
                    }
                }
            }
            if batch.rows() > 0 {
                let _ = full_tx.send(batch);
            }
            Ok(n)
        });
        let mut written = Ok(());
        for mut batch in full_rx.iter() {
            written = write(&batch);
            if written.is_err() {
                break;
            }
            batch.clear();
            let _ = empty_tx.send(batch);
        }
        // Unblocks the reader if the writer stopped early.
        drop(full_rx);
        let n = reader
            .join()
            .expect("the export reader panicked")
            .map_err(|e| super::sql_err(path, e))?;
        written.map(|()| n)
    })
}

/// Parses the stored form `YYYY-MM-DDTHH:MM:SS.mmmZ` without the general
/// RFC 3339 parser; `None` for anything else.
fn parse_stored(t: &[u8]) -> Option<NaiveDateTime> {
    let layout_ok = t.len() == 24
        && t[4] == b'-'
        && t[7] == b'-'
        && t[10] == b'T'
        && t[13] == b':'
        && t[16] == b':'
        && t[19] == b'.'
        && t[23] == b'Z';
    if !layout_ok {
        return None;
    }
    let n = |a: usize, b: usize| -> Option<u32> {
        t[a..b].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(n(0, 4)? as i32, n(5, 7)?, n(8, 10)?)?;
    let time = NaiveTime::from_hms_milli_opt(n(11, 13)?, n(14, 16)?, n(17, 19)?, n(20, 23)?)?;
    Some(date.and_time(time))
}

/// Appends the stored instant `t` in station time, RFC 3339 with
/// milliseconds and the offset (`2026-11-30T05:30:08.000+07:00`).
fn push_station_time(buf: &mut Vec<u8>, t: &[u8], tz: Tz) {
    let utc = parse_stored(t).or_else(|| {
        let s = std::str::from_utf8(t).ok()?;
        DateTime::parse_from_rfc3339(s).ok().map(|d| d.naive_utc())
    });
    let Some(utc) = utc else {
        buf.extend_from_slice(t);
        return;
    };
    let offset = tz.offset_from_utc_datetime(&utc).fix().local_minus_utc();
    let local = utc + chrono::Duration::seconds(i64::from(offset));
    if !(0..=9999).contains(&local.year()) {
        let at = Utc.from_utc_datetime(&utc).with_timezone(&tz);
        buf.extend_from_slice(at.to_rfc3339_opts(SecondsFormat::Millis, false).as_bytes());
        return;
    }
    let digits = |buf: &mut Vec<u8>, v: u32, width: u32| {
        for p in (0..width).rev() {
            buf.push(b'0' + (v / 10u32.pow(p) % 10) as u8);
        }
    };
    digits(buf, local.year() as u32, 4);
    buf.push(b'-');
    digits(buf, local.month(), 2);
    buf.push(b'-');
    digits(buf, local.day(), 2);
    buf.push(b'T');
    digits(buf, local.hour(), 2);
    buf.push(b':');
    digits(buf, local.minute(), 2);
    buf.push(b':');
    digits(buf, local.second(), 2);
    buf.push(b'.');
    digits(buf, (local.nanosecond() / 1_000_000).min(999), 3);
    buf.push(if offset < 0 { b'-' } else { b'+' });
    let off = offset.unsigned_abs();
    digits(buf, off / 3600, 2);
    buf.push(b':');
    digits(buf, off % 3600 / 60, 2);
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
    let n = each_batch(log, from, to, tz, |batch| {
        for r in 0..batch.rows() {
            let fields = (0..EXPORT_COLUMNS.len()).map(|i| batch.field(r, i).unwrap_or(b""));
            w.write_record(fields).map_err(|e| write_err(e.into()))?;
        }
        Ok(())
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
    let mut obj = Vec::with_capacity(2048);
    out.write_all(b"[").map_err(write_err)?;
    let mut first = true;
    let n = each_batch(log, from, to, tz, |batch| {
        for r in 0..batch.rows() {
            json_object(batch, r, first, &mut obj)?;
            first = false;
            out.write_all(&obj).map_err(write_err)?;
        }
        Ok(())
    })?;
    out.write_all(if first { b"]\n" } else { b"\n]\n" })
        .map_err(write_err)?;
    Ok(n)
}

/// Row `r` of `batch` as a JSON object in `obj`, after a comma unless first.
fn json_object(batch: &Batch, r: usize, first: bool, obj: &mut Vec<u8>) -> Result<(), LogError> {
    obj.clear();
    obj.extend_from_slice(if first { b"\n{" } else { b",\n{" });
    for (i, name) in EXPORT_COLUMNS.iter().enumerate() {
        if i > 0 {
            obj.push(b',');
        }
        obj.extend_from_slice(format!("\"{name}\":").as_bytes());
        match batch.field(r, i) {
            None => obj.extend_from_slice(b"null"),
            // Numbers stay numbers for scripts that read the export.
            Some(v) if NUMBER_COLUMNS.contains(&i) && !v.is_empty() && v.iter().all(u8::is_ascii_digit) => {
                obj.extend_from_slice(v)
            }
            Some(v) => serde_json::to_writer(&mut *obj, &String::from_utf8_lossy(v))
                .map_err(|e| write_err(e.into()))?,
        }
    }
    obj.push(b'}');
    Ok(())
}
