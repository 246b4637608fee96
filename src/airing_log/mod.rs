//! The airing log: the station's proof of what it broadcast, kept so that a
//! district official can trust that nobody edited it afterwards.
//!
//! # Storage
//!
//! One SQLite file, `<data_dir>/airings.sqlite3`, in WAL mode with
//! `synchronous=FULL`: an [`AiringLog::append`] is one `IMMEDIATE`
//! transaction that is on disk when it returns, and readers (reports,
//! `loa log verify`) read a consistent snapshot without blocking the daemon.
//! The schema version is `PRAGMA user_version`; [`AiringLog::open`] applies
//! the migrations in order.
//!
//! Table `records` holds two records per airing: `start` when it begins and
//! `end` (with the outcome) when it ends; an airing that never started (the
//! PC was off, the device would not open) has only an `end` record. The
//! table is insert-only: triggers abort every `UPDATE` and `DELETE`, an
//! `INSERT` must carry the next `seq` and the last record's hash, and this
//! API has no way to change or remove a record.
//!
//! # Hash chain
//!
//! Triggers stop mistakes, not someone holding the file and a SQLite tool
//! (they can drop the triggers). The chain makes such edits visible. For
//! record `n`:
//!
//! ```text
//! hash(n) = lowercase hex of SHA-256( prev_hash(n) || encoding(n) )
//! ```
//!
//! - `prev_hash(n)` is the 64 ASCII characters of record `n-1`'s `hash`
//!   column (64 `0` characters for record 1), as stored in the `prev_hash`
//!   column of record `n`.
//! - `encoding(n)` is these 16 fields, in this order: `seq`, `airing_id`,
//!   `event`, `recorded_at`, `planned`, `actual_start`, `actual_end`,
//!   `played_ms`, `outcome`, `reason`, `clip`, `clip_sha256`, `directive`,
//!   `kind`, `station`, `host`. Each field is its length in bytes as an
//!   8-byte big-endian unsigned integer followed by its UTF-8 bytes; a NULL
//!   is the 8 bytes `FF FF FF FF FF FF FF FF` and nothing else (no real
//!   length can be that).
//! - Field text is exactly what the table stores: integers (`seq`,
//!   `played_ms`) in decimal without sign or leading zeros (`17`); instants
//!   in UTC, RFC 3339 with exactly three fraction digits and `Z`
//!   (`2026-11-29T22:30:08.000Z`, so instants are kept to the millisecond);
//!   `event` is `start`/`end`, `outcome` `completed`/`interrupted`/
//!   `failed`/`missed`, `kind` `quota`/`fixed`/`make-up`/`manual`/
//!   `emergency`.
//!
//! [`AiringLog::verify`] walks the records in `seq` order and names the
//! first one whose `seq` is not the previous plus one (a record was
//! deleted), whose `prev_hash` is not the previous record's `hash` (a record
//! before it was deleted, inserted or moved), or whose `hash` does not match
//! its content (it was altered).
//!
//! What a chain alone cannot show: cutting off the newest records, or
//! rewriting every record from some point on with fresh hashes, leaves a
//! valid chain. That is why reports carry the head (last `seq` and `hash`,
//! [`AiringLog::head`]): a log that no longer contains a head once printed
//! on a report was cut or rewritten.
//!
//! # Exports
//!
//! [`export`] writes CSV (UTF-8 with a BOM, so Excel shows Vietnamese) or
//! JSON, one row per record, with times in station time to the millisecond.
//! To re-verify from an export, convert each time back to the stored UTC
//! form; in CSV an empty cell stands for NULL.

mod chain;
mod export;
mod schema;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior};

pub use chain::{BadRecord, ChainProblem, Verification, GENESIS_HASH};
pub use export::{export, ExportFormat, EXPORT_COLUMNS};

use crate::lang::{Lang, Localize};
use crate::planner::{Outcome, PastAiring};

/// The log's file name inside the station's `data_dir`.
pub const FILE_NAME: &str = "airings.sqlite3";

/// How long a reader or the writer waits for the other before giving up:
/// WAL readers almost never wait, the margin covers checkpoints on a slow disk.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The columns of `records` in canonical order, then the two hashes: every
/// query selects them in this order so rows decode one way.
const COLUMNS: &str = "seq, airing_id, event, recorded_at, planned, actual_start, actual_end, played_ms, \
     outcome, reason, clip, clip_sha256, directive, kind, station, host, prev_hash, hash";

/// Which end of an airing a record marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// The airing began playing.
    Start,
    /// The airing ended, or its time passed without it starting.
    End,
}

impl Event {
    /// The word stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Start => "start",
            Event::End => "end",
        }
    }

    /// The event stored as `s`.
    pub fn parse(s: &str) -> Option<Event> {
        match s {
            "start" => Some(Event::Start),
            "end" => Some(Event::End),
            _ => None,
        }
    }
}

/// Why an airing was played.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Meets a directive's quota.
    Quota,
    /// A fixed-time item (ident, relay).
    Fixed,
    /// Replaces an airing that failed or was missed.
    MakeUp,
    /// Started by hand by the officer.
    Manual,
    /// An emergency broadcast.
    Emergency,
}

impl Kind {
    /// The word stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Quota => "quota",
            Kind::Fixed => "fixed",
            Kind::MakeUp => "make-up",
            Kind::Manual => "manual",
            Kind::Emergency => "emergency",
        }
    }

    /// The kind stored as `s`.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "quota" => Some(Kind::Quota),
            "fixed" => Some(Kind::Fixed),
            "make-up" => Some(Kind::MakeUp),
            "manual" => Some(Kind::Manual),
            "emergency" => Some(Kind::Emergency),
            _ => None,
        }
    }
}

impl Localize for Kind {
    fn localize(&self, lang: Lang) -> String {
        match self {
            Kind::Quota => lang.pick("chỉ tiêu", "quota"),
            Kind::Fixed => lang.pick("cố định", "fixed"),
            Kind::MakeUp => lang.pick("phát bù", "make-up"),
            Kind::Manual => lang.pick("phát tay", "manual"),
            Kind::Emergency => lang.pick("khẩn cấp", "emergency"),
        }
        .to_string()
    }
}

/// The word stored for an outcome.
pub fn outcome_as_str(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Completed => "completed",
        Outcome::Interrupted => "interrupted",
        Outcome::Failed => "failed",
        Outcome::Missed => "missed",
    }
}

/// The outcome stored as `s`.
pub fn parse_outcome(s: &str) -> Option<Outcome> {
    match s {
        "completed" => Some(Outcome::Completed),
        "interrupted" => Some(Outcome::Interrupted),
        "failed" => Some(Outcome::Failed),
        "missed" => Some(Outcome::Missed),
        _ => None,
    }
}

/// A record to append; the log adds `seq` and the hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecord {
    /// Links the start and end records of one airing; made by the caller
    /// (e.g. `2026-11-30T05:30:08+07:00/antq-tuan-1`).
    pub airing_id: String,
    /// Start or end.
    pub event: Event,
    /// When the record was made (the caller's clock).
    pub recorded_at: DateTime<Utc>,
    /// The planned instant of the airing.
    pub planned: DateTime<Utc>,
    /// When playing actually began.
    pub actual_start: Option<DateTime<Utc>>,
    /// When playing actually ended.
    pub actual_end: Option<DateTime<Utc>>,
    /// How much of the clip was played.
    pub played_ms: Option<u64>,
    /// How the airing ended: required on `end` records, absent on `start`.
    pub outcome: Option<Outcome>,
    /// Why it failed, was interrupted or missed, in words.
    pub reason: Option<String>,
    /// The clip id.
    pub clip: String,
    /// The clip file's SHA-256 (hex), proving which recording was aired.
    pub clip_sha256: String,
    /// The directive number the airing served.
    pub directive: Option<String>,
    /// Why it was played.
    pub kind: Kind,
    /// The station name.
    pub station: String,
    /// The PC that played it.
    pub host: String,
}

/// A record as stored: a [`NewRecord`] with its place in the chain.
/// Instants are kept to the millisecond.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1, 2, 3, ... without gaps.
    pub seq: i64,
    /// See [`NewRecord::airing_id`].
    pub airing_id: String,
    /// Start or end.
    pub event: Event,
    /// When the record was made.
    pub recorded_at: DateTime<Utc>,
    /// The planned instant of the airing.
    pub planned: DateTime<Utc>,
    /// When playing actually began.
    pub actual_start: Option<DateTime<Utc>>,
    /// When playing actually ended.
    pub actual_end: Option<DateTime<Utc>>,
    /// How much of the clip was played.
    pub played_ms: Option<u64>,
    /// How the airing ended (end records only).
    pub outcome: Option<Outcome>,
    /// Why it failed, was interrupted or missed.
    pub reason: Option<String>,
    /// The clip id.
    pub clip: String,
    /// The clip file's SHA-256 (hex).
    pub clip_sha256: String,
    /// The directive number.
    pub directive: Option<String>,
    /// Why it was played.
    pub kind: Kind,
    /// The station name.
    pub station: String,
    /// The PC that played it.
    pub host: String,
    /// The previous record's hash (64 zeros for the first).
    pub prev_hash: String,
    /// This record's hash (see the module documentation).
    pub hash: String,
}

/// Something that went wrong opening, reading or writing the log.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub enum LogError {
    /// There is no log yet: nothing has been aired (or it is elsewhere).
    Missing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The data folder could not be created.
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// SQLite refused (disk full, locked too long, not a database, a trigger).
    Sqlite {
        /// The log file.
        path: PathBuf,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// The file was written by a newer `loa`.
    TooNew {
        /// The log file.
        path: PathBuf,
        /// Its schema version.
        version: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// The file has an older schema and was opened read-only, so it cannot be
    /// upgraded here.
    OldSchema {
        /// The log file.
        path: PathBuf,
        /// Its schema version.
        version: i64,
    },
    /// A stored value this build cannot read (the file was edited by hand).
    BadValue {
        /// The record.
        seq: i64,
        /// The column.
        column: &'static str,
        /// The value, as text.
        value: String,
    },
    /// A record to append whose event and outcome disagree.
    Inconsistent {
        /// The airing.
        airing_id: String,
        /// The event it claimed.
        event: Event,
    },
    /// An export could not be written.
    Write {
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl Localize for LogError {
    fn localize(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            LogError::Missing { path } => {
                if vi {
                    format!(
                        "chưa có nhật ký phát ({}): đài chưa phát lượt nào",
                        path.display()
                    )
                } else {
                    format!(
                        "there is no airing log yet ({}): nothing has been aired",
                        path.display()
                    )
                }
            }
            LogError::CreateDir { path, source } => {
                if vi {
                    format!("không tạo được thư mục dữ liệu {}: {source}", path.display())
                } else {
                    format!("cannot create the data folder {}: {source}", path.display())
                }
            }
            LogError::Sqlite { path, source } => {
                if vi {
                    format!("lỗi nhật ký phát {}: {source}", path.display())
                } else {
                    format!("airing log {}: {source}", path.display())
                }
            }
            LogError::TooNew {
                path,
                version,
                supported,
            } => {
                if vi {
                    format!(
                        "nhật ký phát {} do phiên bản loa mới hơn tạo (lược đồ {version}, bản này đọc tới {supported}): hãy cập nhật loa",
                        path.display()
                    )
                } else {
                    format!(
                        "the airing log {} was written by a newer loa (schema {version}, this one reads up to {supported}): update loa",
                        path.display()
                    )
                }
            }
            LogError::OldSchema { path, version } => {
                if vi {
                    format!(
                        "nhật ký phát {} có lược đồ cũ ({version}): hãy chạy chương trình phát một lần để nâng cấp",
                        path.display()
                    )
                } else {
                    format!(
                        "the airing log {} has an old schema ({version}): run the player once to upgrade it",
                        path.display()
                    )
                }
            }
            LogError::BadValue { seq, column, value } => {
                if vi {
                    format!("bản ghi số {seq} có giá trị không đọc được ở cột {column}: \"{value}\"")
                } else {
                    format!("record {seq} has an unreadable value in column {column}: \"{value}\"")
                }
            }
            LogError::Inconsistent { airing_id, event } => {
                if vi {
                    format!(
                        "bản ghi {} của lượt {airing_id} không hợp lệ: bản ghi kết thúc cần kết quả, bản ghi bắt đầu thì không",
                        event.as_str()
                    )
                } else {
                    format!(
                        "the {} record of airing {airing_id} is not valid: an end record needs an outcome, a start record has none",
                        event.as_str()
                    )
                }
            }
            LogError::Write { source } => {
                if vi {
                    format!("không ghi được tệp xuất: {source}")
                } else {
                    format!("cannot write the export: {source}")
                }
            }
        }
    }
}

/// The open log: the daemon's writer or a report's reader.
pub struct AiringLog {
    conn: Connection,
    path: PathBuf,
}

impl fmt::Debug for AiringLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AiringLog").field("path", &self.path).finish()
    }
}

impl AiringLog {
    /// The log file in `data_dir`.
    pub fn path_in(data_dir: &Path) -> PathBuf {
        data_dir.join(FILE_NAME)
    }

    /// Opens the log for appending, creating the folder, the file and the
    /// schema as needed.
    pub fn open(data_dir: &Path) -> Result<AiringLog, LogError> {
        std::fs::create_dir_all(data_dir).map_err(|source| LogError::CreateDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let path = AiringLog::path_in(data_dir);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&path, flags).map_err(|e| sql_err(&path, e))?;
        let mut log = AiringLog { conn, path };
        log.setup_writer().map_err(|e| log.err(e))?;
        schema::migrate(&mut log.conn, &log.path)?;
        Ok(log)
    }

    fn setup_writer(&self) -> rusqlite::Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL: readers never block the daemon and the daemon never blocks them.
        let mode: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode, "the airing log could not switch to WAL mode");
        }
        // FULL: a record the daemon was told is written survives a power cut.
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(())
    }

    /// Opens an existing log for reading only (reports, verify, export). It
    /// never takes a write lock, so the daemon keeps appending meanwhile.
    pub fn open_read_only(data_dir: &Path) -> Result<AiringLog, LogError> {
        let path = AiringLog::path_in(data_dir);
        if !path.is_file() {
            return Err(LogError::Missing { path });
        }
        let conn = read_only_connection(&path).map_err(|e| sql_err(&path, e))?;
        let log = AiringLog { conn, path };
        let version: i64 = log
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| log.err(e))?;
        schema::check_readable(version, &log.path)?;
        Ok(log)
    }

    /// The log file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: rusqlite::Error) -> LogError {
        sql_err(&self.path, e)
    }

    /// Appends one record in one transaction: reads the head, hashes,
    /// inserts, commits (and syncs to disk).
    pub fn append(&mut self, rec: &NewRecord) -> Result<Record, LogError> {
        let mut out = self.append_batch(std::slice::from_ref(rec))?;
        Ok(out.pop().expect("one record in, one out"))
    }

    /// Appends several records in one transaction: all or none are written.
    /// Cheaper than one `append` each (one sync to disk for all).
    pub fn append_batch(&mut self, recs: &[NewRecord]) -> Result<Vec<Record>, LogError> {
        for r in recs {
            if (r.event == Event::End) != r.outcome.is_some() {
                return Err(LogError::Inconsistent {
                    airing_id: r.airing_id.clone(),
                    event: r.event,
                });
            }
        }
        let path = self.path.clone();
        let e = |e| sql_err(&path, e);
        // IMMEDIATE: take the write lock before reading the head, so two
        // writers can never both chain onto the same record.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e)?;
        let head = read_head(&tx).map_err(e)?;
        let (mut seq, mut prev) = head.unwrap_or((0, GENESIS_HASH.to_string()));
        let mut out = Vec::with_capacity(recs.len());
        {
            let mut insert = tx
                .prepare_cached(&format!(
                    "INSERT INTO records ({COLUMNS}) VALUES \
                     (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
                ))
                .map_err(e)?;
            for r in recs {
                seq += 1;
                let rec = Record::chained(seq, prev, r);
                insert
                    .execute(rusqlite::params![
                        rec.seq,
                        rec.airing_id,
                        rec.event.as_str(),
                        instant_text(rec.recorded_at),
                        instant_text(rec.planned),
                        rec.actual_start.map(instant_text),
                        rec.actual_end.map(instant_text),
                        rec.played_ms.map(|ms| ms as i64),
                        rec.outcome.map(outcome_as_str),
                        rec.reason,
                        rec.clip,
                        rec.clip_sha256,
                        rec.directive,
                        rec.kind.as_str(),
                        rec.station,
                        rec.host,
                        rec.prev_hash,
                        rec.hash,
                    ])
                    .map_err(e)?;
                prev = rec.hash.clone();
                out.push(rec);
            }
        }
        tx.commit().map_err(e)?;
        Ok(out)
    }

    /// The last record's `seq` and hash; `None` while the log is empty.
    pub fn head(&self) -> Result<Option<(i64, String)>, LogError> {
        read_head(&self.conn).map_err(|e| self.err(e))
    }

    /// Walks the whole chain in `seq` order, one row at a time (a long log
    /// in a few ranges on parallel read-only connections), and names the
    /// first record that breaks it. Records appended meanwhile are left for
    /// the next run; the count and head describe exactly what was checked.
    pub fn verify(&self) -> Result<Verification, LogError> {
        chain::verify(&self.conn, &self.path).map_err(|e| self.err(e))
    }

    /// Calls `f` with each record whose planned instant is in `[from, to)`
    /// (either bound may be open), in `seq` order, without holding them all
    /// in memory. Returns how many there were.
    pub fn each_record<E: From<LogError>>(
        &self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        mut f: impl FnMut(Record) -> Result<(), E>,
    ) -> Result<u64, E> {
        self.each_row(from, to, |row| f(self.decode(row)?))
    }

    /// Like [`AiringLog::each_record`] with the raw rows ([`COLUMNS`]), for
    /// exports that copy values without building a `Record`.
    fn each_row<E: From<LogError>>(
        &self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        mut f: impl FnMut(&Row<'_>) -> Result<(), E>,
    ) -> Result<u64, E> {
        let (sql, args) = select_planned(from, to);
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(args.iter()))
            .map_err(|e| self.err(e))?;
        let mut n = 0;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            f(row)?;
            n += 1;
        }
        Ok(n)
    }

    /// The records whose planned instant is in `[from, to)`, in `seq` order.
    pub fn records(
        &self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<Record>, LogError> {
        let mut out = Vec::new();
        self.each_record(from, to, |r| {
            out.push(r);
            Ok::<(), LogError>(())
        })?;
        Ok(out)
    }

    /// One past airing per `airing_id` with an `end` record planned in
    /// `[from, to)`, for the planner: the outcome from the end record, start
    /// = actual start or else planned, end = actual end or else planned.
    /// Sorted by start.
    pub fn past_airings(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<PastAiring>, LogError> {
        // The last end record wins should a caller ever write two.
        let sql = format!(
            "SELECT {COLUMNS} FROM records WHERE event = 'end' AND planned >= ?1 AND planned < ?2 \
             AND NOT EXISTS (SELECT 1 FROM records later WHERE later.airing_id = records.airing_id \
             AND later.event = 'end' AND later.seq > records.seq)"
        );
        let recs = self.query(&sql, [instant_text(from), instant_text(to)])?;
        let mut out: Vec<PastAiring> = recs
            .into_iter()
            .filter_map(|r| {
                Some(PastAiring {
                    directive: r.directive,
                    clip: r.clip,
                    start: r.actual_start.unwrap_or(r.planned),
                    end: r.actual_end.unwrap_or(r.planned),
                    outcome: r.outcome?,
                    make_up: r.kind == Kind::MakeUp,
                })
            })
            .collect();
        out.sort_by(|a, b| (a.start, &a.clip).cmp(&(b.start, &b.clip)));
        Ok(out)
    }

    /// Start records with no end record after them: airings that were
    /// playing when the daemon was killed or the power went. In `seq` order.
    pub fn unfinished(&self) -> Result<Vec<Record>, LogError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM records WHERE event = 'start' \
             AND NOT EXISTS (SELECT 1 FROM records e WHERE e.airing_id = records.airing_id \
             AND e.event = 'end' AND e.seq > records.seq) ORDER BY seq"
        );
        self.query(&sql, [])
    }

    /// When the first record's airing was planned: where the log begins.
    pub fn first_planned(&self) -> Result<Option<DateTime<Utc>>, LogError> {
        let sql = format!("SELECT {COLUMNS} FROM records ORDER BY seq LIMIT 1");
        Ok(self.query(&sql, [])?.first().map(|r| r.planned))
    }

    /// The last `n` records, oldest first.
    pub fn latest(&self, n: usize) -> Result<Vec<Record>, LogError> {
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        let sql =
            format!("SELECT * FROM (SELECT {COLUMNS} FROM records ORDER BY seq DESC LIMIT ?1) ORDER BY seq");
        self.query(&sql, [n])
    }

    fn query(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Record>, LogError> {
        let mut stmt = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        let mut rows = stmt.query(params).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            out.push(self.decode(row)?);
        }
        Ok(out)
    }

    /// A row selected with [`COLUMNS`] as a [`Record`].
    fn decode(&self, row: &Row<'_>) -> Result<Record, LogError> {
        let seq: i64 = row.get(0).map_err(|e| self.err(e))?;
        let text = |i: usize, column: &'static str| -> Result<Option<String>, LogError> {
            use rusqlite::types::ValueRef;
            match row.get_ref(i).map_err(|e| self.err(e))? {
                ValueRef::Null => Ok(None),
                ValueRef::Text(t) => match std::str::from_utf8(t) {
                    Ok(s) => Ok(Some(s.to_string())),
                    Err(_) => Err(bad(seq, column, &String::from_utf8_lossy(t))),
                },
                ValueRef::Integer(i) => Ok(Some(i.to_string())),
                other => Err(bad(seq, column, &format!("{other:?}"))),
            }
        };
        let required = |i: usize, column: &'static str| -> Result<String, LogError> {
            text(i, column)?.ok_or_else(|| bad(seq, column, "NULL"))
        };
        let instant = |s: String, column: &'static str| -> Result<DateTime<Utc>, LogError> {
            DateTime::parse_from_rfc3339(&s)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| bad(seq, column, &s))
        };
        let event_text = required(2, "event")?;
        let kind_text = required(13, "kind")?;
        Ok(Record {
            seq,
            airing_id: required(1, "airing_id")?,
            event: Event::parse(&event_text).ok_or_else(|| bad(seq, "event", &event_text))?,
            recorded_at: instant(required(3, "recorded_at")?, "recorded_at")?,
            planned: instant(required(4, "planned")?, "planned")?,
            actual_start: text(5, "actual_start")?
                .map(|s| instant(s, "actual_start"))
                .transpose()?,
            actual_end: text(6, "actual_end")?
                .map(|s| instant(s, "actual_end"))
                .transpose()?,
            played_ms: text(7, "played_ms")?
                .map(|s| s.parse::<u64>().map_err(|_| bad(seq, "played_ms", &s)))
                .transpose()?,
            outcome: text(8, "outcome")?
                .map(|s| parse_outcome(&s).ok_or_else(|| bad(seq, "outcome", &s)))
                .transpose()?,
            reason: text(9, "reason")?,
            clip: required(10, "clip")?,
            clip_sha256: required(11, "clip_sha256")?,
            directive: text(12, "directive")?,
            kind: Kind::parse(&kind_text).ok_or_else(|| bad(seq, "kind", &kind_text))?,
            station: required(14, "station")?,
            host: required(15, "host")?,
            prev_hash: required(16, "prev_hash")?,
            hash: required(17, "hash")?,
        })
    }
}

impl Record {
    /// `new` as record `seq` after a record whose hash is `prev_hash`.
    fn chained(seq: i64, prev_hash: String, new: &NewRecord) -> Record {
        let ms = |d: DateTime<Utc>| d.trunc_subsecs(3);
        let mut rec = Record {
            seq,
            airing_id: new.airing_id.clone(),
            event: new.event,
            recorded_at: ms(new.recorded_at),
            planned: ms(new.planned),
            actual_start: new.actual_start.map(ms),
            actual_end: new.actual_end.map(ms),
            // SQLite integers are signed; no clip is 292 million years long.
            played_ms: new.played_ms.map(|v| v.min(i64::MAX as u64)),
            outcome: new.outcome,
            reason: new.reason.clone(),
            clip: new.clip.clone(),
            clip_sha256: new.clip_sha256.clone(),
            directive: new.directive.clone(),
            kind: new.kind,
            station: new.station.clone(),
            host: new.host.clone(),
            prev_hash,
            hash: String::new(),
        };
        rec.hash = rec.computed_hash();
        rec
    }

    /// The hash this record's content and `prev_hash` call for (see the
    /// module documentation); equal to `hash` unless it was altered.
    pub fn computed_hash(&self) -> String {
        let seq = self.seq.to_string();
        let played = self.played_ms.map(|v| v.to_string());
        let t = |d: &DateTime<Utc>| instant_text(*d);
        let (recorded, planned) = (t(&self.recorded_at), t(&self.planned));
        let start = self.actual_start.as_ref().map(t);
        let end = self.actual_end.as_ref().map(t);
        let b = |s: &str| Some(s.as_bytes().to_vec());
        let o = |s: &Option<String>| s.as_ref().map(|s| s.as_bytes().to_vec());
        let fields: [Option<Vec<u8>>; chain::FIELDS] = [
            b(&seq),
            b(&self.airing_id),
            b(self.event.as_str()),
            b(&recorded),
            b(&planned),
            o(&start),
            o(&end),
            o(&played),
            self.outcome.map(|x| outcome_as_str(x).as_bytes().to_vec()),
            o(&self.reason),
            b(&self.clip),
            b(&self.clip_sha256),
            o(&self.directive),
            b(self.kind.as_str()),
            b(&self.station),
            b(&self.host),
        ];
        let mut h = chain::ChainHasher::new(self.prev_hash.as_bytes());
        for f in &fields {
            h.field(f.as_deref());
        }
        String::from_utf8(h.finish_hex().to_vec()).expect("hex is ASCII")
    }
}

/// An instant as the log stores and hashes it: UTC, milliseconds, `Z`.
pub fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The query for records planned in `[from, to)` in `seq` order, and its
/// arguments.
fn select_planned(from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> (String, Vec<String>) {
    let mut sql = format!("SELECT {COLUMNS} FROM records WHERE 1");
    let mut args = Vec::new();
    if let Some(from) = from {
        sql.push_str(" AND planned >= ?");
        args.push(instant_text(from));
    }
    if let Some(to) = to {
        sql.push_str(" AND planned < ?");
        args.push(instant_text(to));
    }
    sql.push_str(" ORDER BY seq");
    (sql, args)
}

/// A connection that only reads: for reports, and for the extra threads of
/// `verify` and `export`.
fn read_only_connection(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // No mmap: on the project's 2-core machine it made verify and export
    // slower (page faults on every first touch), not faster.
    Ok(conn)
}

fn read_head(conn: &Connection) -> rusqlite::Result<Option<(i64, String)>> {
    conn.query_row(
        "SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

fn sql_err(path: &Path, source: rusqlite::Error) -> LogError {
    LogError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

fn bad(seq: i64, column: &'static str, value: &str) -> LogError {
    LogError::BadValue {
        seq,
        column,
        value: value.to_string(),
    }
}
