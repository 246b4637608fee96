//! The log's schema and its migrations: a list of SQL scripts applied in
//! order, the count applied kept in `PRAGMA user_version`. A script is never
//! edited once released; a change is a new script at the end.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::{sql_err, LogError, GENESIS_HASH};

/// The triggers that make `records` insert-only; `verify` reports any that
/// went missing, since only someone bypassing `loa` removes them.
pub(super) const GUARDS: [&str; 3] = ["records_no_update", "records_no_delete", "records_append_only"];

/// Migration `i` brings the schema from version `i` to `i + 1`.
fn migrations() -> Vec<String> {
    vec![format!(
        "
CREATE TABLE records (
    seq          INTEGER PRIMARY KEY,
    airing_id    TEXT NOT NULL,
    event        TEXT NOT NULL CHECK (event IN ('start', 'end')),
    recorded_at  TEXT NOT NULL,
    planned      TEXT NOT NULL,
    actual_start TEXT,
    actual_end   TEXT,
    played_ms    INTEGER CHECK (played_ms >= 0),
    outcome      TEXT CHECK (outcome IN ('completed', 'interrupted', 'failed', 'missed')),
    reason       TEXT,
    clip         TEXT NOT NULL,
    clip_sha256  TEXT NOT NULL,
    directive    TEXT,
    kind         TEXT NOT NULL CHECK (kind IN ('quota', 'fixed', 'make-up', 'manual', 'emergency')),
    station      TEXT NOT NULL,
    host         TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    CHECK ((event = 'end') = (outcome IS NOT NULL))
);
CREATE INDEX records_planned ON records (planned);
CREATE INDEX records_airing ON records (airing_id, event);
CREATE TRIGGER records_no_update BEFORE UPDATE ON records
BEGIN
    SELECT RAISE(ABORT, 'the airing log is insert-only: a record cannot be changed');
END;
CREATE TRIGGER records_no_delete BEFORE DELETE ON records
BEGIN
    SELECT RAISE(ABORT, 'the airing log is insert-only: a record cannot be deleted');
END;
CREATE TRIGGER records_append_only BEFORE INSERT ON records
WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM records)
  OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM records ORDER BY seq DESC LIMIT 1), '{GENESIS_HASH}')
BEGIN
    SELECT RAISE(ABORT, 'the airing log is append-only: a record must follow the last one');
END;
"
    )]
}

/// The schema version this build writes.
pub(super) fn latest_version() -> i64 {
    migrations().len() as i64
}

/// Brings the schema up to date in one transaction.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), LogError> {
    let e = |e| sql_err(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(e)?;
    let version: i64 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(e)?;
    let all = migrations();
    if version > all.len() as i64 {
        return Err(LogError::TooNew {
            path: path.to_path_buf(),
            version,
            supported: all.len() as i64,
        });
    }
    if version == all.len() as i64 {
        return Ok(());
    }
    for script in &all[version.max(0) as usize..] {
        tx.execute_batch(script).map_err(e)?;
    }
    tx.pragma_update(None, "user_version", all.len() as i64)
        .map_err(e)?;
    tx.commit().map_err(e)
}

/// Whether a read-only connection can read a file at `version`.
pub(super) fn check_readable(version: i64, path: &Path) -> Result<(), LogError> {
    let latest = latest_version();
    if version == 0 {
        // Created but never given a schema: no airing was ever written.
        Err(LogError::Missing {
            path: path.to_path_buf(),
        })
    } else if version > latest {
        Err(LogError::TooNew {
            path: path.to_path_buf(),
            version,
            supported: latest,
        })
    } else if version < latest {
        Err(LogError::OldSchema {
            path: path.to_path_buf(),
            version,
        })
    } else {
        Ok(())
    }
}

/// The guards that are not in the schema any more.
pub(super) fn missing_guards(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'records'")?;
    let present: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(GUARDS
        .iter()
        .filter(|g| !present.iter().any(|p| p == *g))
        .map(|g| g.to_string())
        .collect())
}
