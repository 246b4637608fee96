//! The hash chain: the canonical encoding of a record (specified in the
//! parent module's documentation), the hasher, and verification that walks
//! the table one row at a time so a million records need no more memory
//! than one.

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::schema;
use crate::lang::{Lang, Localize};

/// The `prev_hash` of record 1.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Fields in the canonical encoding (every column but the two hashes).
pub(super) const FIELDS: usize = 16;

/// The column names, in canonical order, for messages: the hashed fields
/// are the export's columns without the two hashes.
const FIELD_NAMES: &[&str] = super::export::EXPORT_COLUMNS.split_at(FIELDS).0;

/// Stands for NULL where a length would be: no real field is 2^64-1 bytes.
const NULL_MARK: [u8; 8] = [0xFF; 8];

/// Feeds `prev_hash`, then fields one at a time, into SHA-256.
pub(super) struct ChainHasher(Sha256);

impl ChainHasher {
    pub(super) fn new(prev_hash: &[u8]) -> ChainHasher {
        let mut h = Sha256::new();
        h.update(prev_hash);
        ChainHasher(h)
    }

    /// One field: 8-byte big-endian length and the bytes, or the NULL mark.
    pub(super) fn field(&mut self, value: Option<&[u8]>) {
        match value {
            Some(v) => {
                self.0.update((v.len() as u64).to_be_bytes());
                self.0.update(v);
            }
            None => self.0.update(NULL_MARK),
        }
    }

    /// The digest as 64 lowercase hex characters.
    pub(super) fn finish_hex(self) -> [u8; 64] {
        hex(&self.0.finalize())
    }
}

/// One present field of the encoding: length, then bytes.
fn encode_field(buf: &mut Vec<u8>, value: &[u8]) {
    buf.extend_from_slice(&(value.len() as u64).to_be_bytes());
    buf.extend_from_slice(value);
}

/// A SHA-256 digest as 64 lowercase hex characters.
fn hex(digest: &[u8]) -> [u8; 64] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 64];
    for (i, b) in digest.iter().take(32).enumerate() {
        out[2 * i] = HEX[usize::from(b >> 4)];
        out[2 * i + 1] = HEX[usize::from(b & 0xF)];
    }
    out
}

/// What is wrong with the first bad record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainProblem {
    /// Its hash does not match its content: a field was edited.
    Altered,
    /// Its `prev_hash` is not the previous record's hash: a record before it
    /// was deleted, inserted or moved (or edited and re-hashed).
    Unlinked,
    /// Its `seq` is not the one expected: records were deleted.
    Gap {
        /// The `seq` that should have come.
        expected: i64,
    },
    /// A column holds a value of a type the log never writes (a number
    /// where text belongs, a blob).
    Malformed {
        /// The column.
        column: &'static str,
    },
}

/// The first record that breaks the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord {
    /// The `seq` of the row where the break was found.
    pub seq: i64,
    /// What is wrong.
    pub problem: ChainProblem,
}

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// How many records the log holds.
    pub records: u64,
    /// The last record's `seq`.
    pub head_seq: Option<i64>,
    /// The last record's stored hash: the head reports carry.
    pub head: Option<String>,
    /// The first record that breaks the chain, if any.
    pub first_bad: Option<BadRecord>,
    /// Insert-only triggers that were removed from the schema (someone
    /// worked on the file outside `loa`).
    pub missing_guards: Vec<String>,
}

impl Verification {
    /// No broken link and every guard in place.
    pub fn is_intact(&self) -> bool {
        self.first_bad.is_none() && self.missing_guards.is_empty()
    }
}

impl Localize for ChainProblem {
    fn localize(&self, lang: Lang) -> String {
        // Stated on its own; `BadRecord` puts the record number in front.
        match self {
            ChainProblem::Altered => lang.pick(
                "mã băm không khớp nội dung",
                "its hash does not match its content",
            ),
            ChainProblem::Unlinked => lang.pick(
                "không nối tiếp bản ghi trước nó (có bản ghi phía trước đã bị xoá, chèn thêm hoặc đổi chỗ)",
                "it does not follow on from the record before it (a record before it was deleted, inserted or moved)",
            ),
            ChainProblem::Gap { .. } => lang.pick("số thứ tự không liền mạch", "the numbering has a gap"),
            ChainProblem::Malformed { .. } => lang.pick("có giá trị sai kiểu", "holds a value of the wrong type"),
        }
        .to_string()
    }
}

impl Localize for BadRecord {
    fn localize(&self, lang: Lang) -> String {
        let seq = self.seq;
        let vi = lang == Lang::Vi;
        match &self.problem {
            ChainProblem::Altered => {
                if vi {
                    format!("bản ghi số {seq} đã bị sửa: mã băm không khớp nội dung")
                } else {
                    format!("record {seq} was altered: its hash does not match its content")
                }
            }
            ChainProblem::Unlinked => {
                if vi {
                    format!(
                        "bản ghi số {seq} không nối tiếp bản ghi trước nó: có bản ghi phía trước đã bị xoá, chèn thêm hoặc đổi chỗ"
                    )
                } else {
                    format!(
                        "record {seq} does not follow on from the record before it: a record before it was deleted, inserted or moved"
                    )
                }
            }
            ChainProblem::Gap { expected } if *expected < seq => {
                let last = seq - 1;
                let missing = if *expected == last {
                    format!("{expected}")
                } else {
                    format!("{expected}–{last}")
                };
                if vi {
                    format!("thiếu bản ghi số {missing} (đã bị xoá): sau đó là bản ghi số {seq}")
                } else {
                    format!("record {missing} is missing (deleted): the next one is record {seq}")
                }
            }
            ChainProblem::Gap { expected } => {
                if vi {
                    format!("bản ghi số {seq} sai số thứ tự: cần số {expected}")
                } else {
                    format!("record {seq} is out of sequence: record {expected} was expected")
                }
            }
            ChainProblem::Malformed { column } => {
                if vi {
                    format!("bản ghi số {seq} đã bị sửa: cột {column} có giá trị sai kiểu")
                } else {
                    format!("record {seq} was altered: column {column} holds a value of the wrong type")
                }
            }
        }
    }
}

impl Localize for Verification {
    fn localize(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let mut s = match (&self.first_bad, &self.head, self.head_seq) {
            (Some(bad), _, _) => bad.localize(lang),
            (None, Some(head), Some(seq)) => {
                if vi {
                    format!(
                        "Nhật ký phát toàn vẹn: {} bản ghi, bản ghi cuối số {seq}, mã băm cuối {head}",
                        self.records
                    )
                } else {
                    format!(
                        "The airing log is intact: {} records, last record {seq}, head hash {head}",
                        self.records
                    )
                }
            }
            _ => lang
                .pick(
                    "Nhật ký phát chưa có bản ghi nào",
                    "The airing log has no records yet",
                )
                .to_string(),
        };
        if !self.missing_guards.is_empty() {
            let names = self.missing_guards.join(", ");
            s.push_str(&if vi {
                format!("; các trigger chống sửa/xoá đã bị gỡ khỏi tệp ({names}): tệp đã bị can thiệp ngoài loa")
            } else {
                format!("; the triggers that forbid edits were removed from the file ({names}): it was worked on outside loa")
            });
        }
        s
    }
}

/// Below this many records one thread walks the chain: starting threads
/// and connections would cost more than they save.
const PARALLEL_FROM: i64 = 200_000;

/// At most this many threads walk a long chain.
const MAX_THREADS: usize = 4;

/// Walks every record in `seq` order. Long logs are cut into contiguous
/// `seq` ranges walked in parallel, each on its own read-only connection
/// (SQLite reading the columns is most of the cost, and it is per
/// connection); the joins between ranges are checked afterwards, so the
/// result is the same as one walk from the start. Only records up to the
/// head seen at the start are checked: the log is append-only, so they are
/// the same on every connection even while the daemon appends.
pub(super) fn verify(conn: &Connection, path: &Path) -> rusqlite::Result<Verification> {
    let missing_guards = schema::missing_guards(conn)?;
    let bounds: (Option<i64>, Option<i64>) =
        conn.query_row("SELECT min(seq), max(seq) FROM records", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let (Some(lo), Some(hi)) = bounds else {
        return Ok(Verification {
            records: 0,
            head_seq: None,
            head: None,
            first_bad: None,
            missing_guards,
        });
    };
    let threads = if hi.saturating_sub(lo) < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS))
    };
    verify_in(conn, path, (lo, hi), threads, missing_guards)
}

/// Verifies records `lo..=hi` in `threads` ranges.
fn verify_in(
    conn: &Connection,
    path: &Path,
    (lo, hi): (i64, i64),
    threads: usize,
    missing_guards: Vec<String>,
) -> rusqlite::Result<Verification> {
    let width = (hi - lo) / threads as i64 + 1;
    let ranges: Vec<(i64, i64)> = (0..threads as i64)
        .map(|i| (lo + i * width, (lo + (i + 1) * width - 1).min(hi)))
        .filter(|(a, b)| a <= b)
        .collect();
    let walks: Vec<Walk> = std::thread::scope(|scope| {
        let others: Vec<_> = ranges[1..]
            .iter()
            .map(|&(a, b)| {
                scope.spawn(move || -> rusqlite::Result<Walk> {
                    let conn = super::read_only_connection(path)?;
                    walk(&conn, a, b, false)
                })
            })
            .collect();
        let mut walks = vec![walk(conn, ranges[0].0, ranges[0].1, true)?];
        for h in others {
            walks.push(h.join().expect("a verify thread panicked")?);
        }
        Ok::<_, rusqlite::Error>(walks)
    })?;
    Ok(join(walks, missing_guards))
}

/// What one thread saw of its `seq` range.
#[derive(Default)]
struct Walk {
    records: u64,
    /// The first row's `seq` and `prev_hash`, when its predecessor is in
    /// another range (checked by `join`).
    first: Option<(i64, Vec<u8>)>,
    /// The last row's `seq` and stored hash.
    last: Option<(i64, Vec<u8>)>,
    problem: Option<BadRecord>,
}

/// Walks records `a..=b`; `from_start` when this range begins the chain
/// (record 1 after the genesis hash), else the first row's link is left to
/// [`join`].
fn walk(conn: &Connection, a: i64, b: i64, from_start: bool) -> rusqlite::Result<Walk> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM records WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq",
        super::COLUMNS
    ))?;
    let mut rows = stmt.query([a, b])?;
    let mut out = Walk::default();
    let mut prev = [0u8; 64];
    prev.copy_from_slice(GENESIS_HASH.as_bytes());
    let mut expected = if from_start { Some(1) } else { None };
    let mut head = Vec::with_capacity(64);
    let mut scratch = (Vec::with_capacity(1024), IntText::default());
    while let Some(row) = rows.next()? {
        out.records += 1;
        let seq = match row.get_ref(0)? {
            ValueRef::Integer(i) => i,
            // A rowid is always an integer; anything else means a broken file.
            _ => expected.unwrap_or(a),
        };
        head.clear();
        if let ValueRef::Text(t) = row.get_ref(FIELDS + 1)? {
            head.extend_from_slice(t);
        }
        if out.problem.is_none() {
            let link = match expected {
                Some(e) => Some((e, &prev)),
                None => {
                    let first_prev = match row.get_ref(FIELDS)? {
                        ValueRef::Text(t) => t.to_vec(),
                        _ => Vec::new(),
                    };
                    out.first = Some((seq, first_prev));
                    None
                }
            };
            match check_row(row, seq, link, &mut scratch)? {
                Some(problem) => out.problem = Some(BadRecord { seq, problem }),
                None => prev.copy_from_slice(&head),
            }
            expected = Some(seq.saturating_add(1));
        }
        out.last = Some((seq, head.clone()));
    }
    Ok(out)
}

/// The ranges' results as one walk from the start would have found them.
fn join(walks: Vec<Walk>, missing_guards: Vec<String>) -> Verification {
    let mut records = 0;
    let mut first_bad = None;
    let mut last: Option<(i64, Vec<u8>)> = None;
    for w in walks {
        records += w.records;
        if first_bad.is_none() {
            if let (Some((seq, prev_hash)), Some((last_seq, last_hash))) = (&w.first, &last) {
                let problem = if *seq != last_seq + 1 {
                    Some(ChainProblem::Gap {
                        expected: last_seq + 1,
                    })
                } else if prev_hash != last_hash {
                    Some(ChainProblem::Unlinked)
                } else {
                    None
                };
                first_bad = problem.map(|problem| BadRecord { seq: *seq, problem });
            }
            if first_bad.is_none() {
                first_bad = w.problem;
            }
        }
        if w.last.is_some() {
            last = w.last;
        }
    }
    Verification {
        records,
        head_seq: last.as_ref().map(|l| l.0),
        head: last.map(|l| String::from_utf8_lossy(&l.1).into_owned()),
        first_bad,
        missing_guards,
    }
}

/// The row's `hash` column when it is 64 bytes of text.
fn stored_hash(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<[u8; 64]>> {
    Ok(match row.get_ref(FIELDS + 1)? {
        ValueRef::Text(t) if t.len() == 64 => {
            let mut h = [0u8; 64];
            h.copy_from_slice(t);
            Some(h)
        }
        _ => None,
    })
}

/// The problem with one row, given the previous record's hash.
/// The problem with one row; `link` is the expected `seq` and previous
/// hash, when known.
fn check_row(
    row: &rusqlite::Row<'_>,
    seq: i64,
    link: Option<(i64, &[u8; 64])>,
    scratch: &mut (Vec<u8>, IntText),
) -> rusqlite::Result<Option<ChainProblem>> {
    let prev_hash = match row.get_ref(FIELDS)? {
        ValueRef::Text(t) => t,
        _ => b"",
    };
    if let Some((expected, prev)) = link {
        if seq != expected {
            return Ok(Some(ChainProblem::Gap { expected }));
        }
        if prev_hash != prev {
            return Ok(Some(ChainProblem::Unlinked));
        }
    }
    // The whole input in one buffer and one update: much faster than
    // feeding SHA-256 sixteen small pieces.
    let buf = &mut scratch.0;
    buf.clear();
    buf.extend_from_slice(prev_hash);
    for (i, name) in FIELD_NAMES.iter().enumerate() {
        match row.get_ref(i)? {
            ValueRef::Null => buf.extend_from_slice(&NULL_MARK),
            ValueRef::Text(t) => encode_field(buf, t),
            ValueRef::Integer(v) => encode_field(buf, scratch.1.format(v)),
            ValueRef::Real(_) | ValueRef::Blob(_) => {
                return Ok(Some(ChainProblem::Malformed { column: name }));
            }
        }
    }
    let computed = hex(&Sha256::digest(&buf[..]));
    match stored_hash(row)? {
        Some(stored) if stored == computed => Ok(None),
        _ => Ok(Some(ChainProblem::Altered)),
    }
}

/// Decimal text of an integer without allocating, for the hot loop.
#[derive(Default)]
struct IntText([u8; 20]);

impl IntText {
    fn format(&mut self, v: i64) -> &[u8] {
        let neg = v < 0;
        let mut n = v.unsigned_abs();
        let mut i = self.0.len();
        loop {
            i -= 1;
            self.0[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        if neg {
            // i64::MIN has 19 digits and a sign: 20 bytes, which fit.
            i -= 1;
            self.0[i] = b'-';
        }
        &self.0[i..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::airing_log::{AiringLog, Event, Kind, NewRecord};
    use crate::planner::Outcome;

    /// Verification with `threads` ranges, whatever the log's size.
    fn verify_threads(dir: &Path, threads: usize) -> Verification {
        let log = AiringLog::open_read_only(dir).unwrap();
        let (lo, hi): (i64, i64) = log
            .conn
            .query_row("SELECT min(seq), max(seq) FROM records", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        let guards = schema::missing_guards(&log.conn).unwrap();
        verify_in(&log.conn, log.path(), (lo, hi), threads, guards).unwrap()
    }

    #[test]
    fn parallel_ranges_find_what_one_walk_finds() {
        use chrono::TimeZone;
        let planned = chrono::Utc.with_ymd_and_hms(2026, 11, 29, 22, 30, 0).unwrap();
        let tampers: [Option<&str>; 9] = [
            None,
            Some("UPDATE records SET clip = 'x' WHERE seq = 1"),
            Some("UPDATE records SET clip = 'x' WHERE seq = 21"),
            Some("DELETE FROM records WHERE seq = 21"),
            Some("DELETE FROM records WHERE seq BETWEEN 20 AND 45"),
            Some("UPDATE records SET prev_hash = hash WHERE seq = 21"),
            Some("DELETE FROM records WHERE seq = 1"),
            Some("UPDATE records SET seq = seq + 100 WHERE seq BETWEEN 30 AND 33"),
            Some("DELETE FROM records WHERE seq > 50"),
        ];
        for tamper in tampers {
            let dir = tempfile::tempdir().unwrap();
            let mut log = AiringLog::open(dir.path()).unwrap();
            let recs: Vec<NewRecord> = (0..60)
                .map(|i| NewRecord {
                    airing_id: format!("a{}", i / 2),
                    event: if i % 2 == 0 { Event::Start } else { Event::End },
                    recorded_at: planned,
                    planned,
                    actual_start: None,
                    actual_end: None,
                    played_ms: (i % 2 == 1).then_some(1000),
                    outcome: (i % 2 == 1).then_some(Outcome::Completed),
                    reason: None,
                    clip: "c".into(),
                    clip_sha256: "00".into(),
                    directive: None,
                    kind: Kind::Quota,
                    station: "s".into(),
                    host: "h".into(),
                })
                .collect();
            log.append_batch(&recs).unwrap();
            if let Some(sql) = tamper {
                log.conn
                    .execute_batch(&format!(
                        "DROP TRIGGER records_no_update; DROP TRIGGER records_no_delete; {sql};"
                    ))
                    .unwrap();
            }
            drop(log);
            let one = verify_threads(dir.path(), 1);
            for threads in 2..=7 {
                assert_eq!(
                    verify_threads(dir.path(), threads),
                    one,
                    "{tamper:?} with {threads} threads"
                );
            }
            assert_eq!(
                one.first_bad.is_none(),
                tamper.is_none() || tamper.unwrap().contains("> 50"),
                "{tamper:?}"
            );
        }
    }

    #[test]
    fn integers_print_as_decimal_text() {
        let mut t = IntText::default();
        for v in [0, 7, 17, -3, 1_000_000, i64::MAX, i64::MIN] {
            assert_eq!(t.format(v), v.to_string().as_bytes());
        }
    }

    #[test]
    fn messages_name_the_record_in_both_languages() {
        let bad = BadRecord {
            seq: 17,
            problem: ChainProblem::Altered,
        };
        assert_eq!(
            bad.localize(Lang::Vi),
            "bản ghi số 17 đã bị sửa: mã băm không khớp nội dung"
        );
        assert_eq!(
            bad.localize(Lang::En),
            "record 17 was altered: its hash does not match its content"
        );
        let gap = BadRecord {
            seq: 9,
            problem: ChainProblem::Gap { expected: 7 },
        };
        assert!(gap.localize(Lang::En).starts_with("record 7–8 is missing"));
    }
}
