//! The hash chain: the canonical encoding of a record (specified in the
//! parent module's documentation), the hasher, and verification that walks
//! the table one row at a time so a million records need no more memory
//! than one.

use rusqlite::types::ValueRef;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::schema;
use crate::lang::{Lang, Localize};

/// The `prev_hash` of record 1.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Fields in the canonical encoding (every column but the two hashes).
pub(super) const FIELDS: usize = 16;

/// The column names, in canonical order, for messages.
const FIELD_NAMES: [&str; FIELDS] = [
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
];

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
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let digest = self.0.finalize();
        let mut out = [0u8; 64];
        for (i, b) in digest.iter().enumerate() {
            out[2 * i] = HEX[usize::from(b >> 4)];
            out[2 * i + 1] = HEX[usize::from(b & 0xF)];
        }
        out
    }
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

/// Walks every record in `seq` order. The count and the head come from the
/// same walk (one statement, one snapshot), so they describe exactly the
/// records checked even while the daemon appends.
pub(super) fn verify(conn: &Connection) -> rusqlite::Result<Verification> {
    let missing_guards = schema::missing_guards(conn)?;
    let mut stmt = conn.prepare(&format!("SELECT {} FROM records ORDER BY seq", super::COLUMNS))?;
    let mut rows = stmt.query([])?;
    let mut prev = [0u8; 64];
    prev.copy_from_slice(GENESIS_HASH.as_bytes());
    let mut expected = 1i64;
    let mut records = 0u64;
    let mut first_bad = None;
    let mut head_seq = None;
    let mut head = Vec::with_capacity(64);
    let mut int_text = IntText::default();
    while let Some(row) = rows.next()? {
        records += 1;
        let seq = match row.get_ref(0)? {
            ValueRef::Integer(i) => i,
            // A rowid is always an integer; anything else means a broken file.
            _ => expected,
        };
        head_seq = Some(seq);
        head.clear();
        if let ValueRef::Text(t) = row.get_ref(FIELDS + 1)? {
            head.extend_from_slice(t);
        }
        if first_bad.is_some() {
            // Past the first break every link is suspect; only count.
            continue;
        }
        match check_row(row, seq, expected, &prev, &mut int_text)? {
            Some(problem) => first_bad = Some(BadRecord { seq, problem }),
            None => prev.copy_from_slice(&head),
        }
        expected = seq.saturating_add(1);
    }
    Ok(Verification {
        records,
        head_seq,
        head: head_seq.map(|_| String::from_utf8_lossy(&head).into_owned()),
        first_bad,
        missing_guards,
    })
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
fn check_row(
    row: &rusqlite::Row<'_>,
    seq: i64,
    expected: i64,
    prev: &[u8; 64],
    int_text: &mut IntText,
) -> rusqlite::Result<Option<ChainProblem>> {
    if seq != expected {
        return Ok(Some(ChainProblem::Gap { expected }));
    }
    let prev_hash = match row.get_ref(FIELDS)? {
        ValueRef::Text(t) => t,
        _ => return Ok(Some(ChainProblem::Unlinked)),
    };
    if prev_hash != prev {
        return Ok(Some(ChainProblem::Unlinked));
    }
    let mut h = ChainHasher::new(prev_hash);
    for (i, name) in FIELD_NAMES.iter().enumerate() {
        match row.get_ref(i)? {
            ValueRef::Null => h.field(None),
            ValueRef::Text(t) => h.field(Some(t)),
            ValueRef::Integer(v) => h.field(Some(int_text.format(v))),
            ValueRef::Real(_) | ValueRef::Blob(_) => {
                return Ok(Some(ChainProblem::Malformed { column: name }));
            }
        }
    }
    let computed = h.finish_hex();
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
