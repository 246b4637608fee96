//! The calendar the daemon is working to, stored beside the airing log
//! (same SQLite file, its own table), so reports can show planned against
//! aired, and so airings whose time passed while nothing was running can be
//! found and recorded as missed when the daemon starts again.
//!
//! Unlike the log this table changes: future rows are replaced at every
//! re-plan. A row is *settled* once an airing record refers to it.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use crate::calendar::PlannedAiring;

/// Name of the database file, shared with the airing log.
pub const DB_FILE: &str = "airings.sqlite3";

/// One stored planned airing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAiring {
    /// `planned-start/clip`, the id its log records carry.
    pub airing_id: String,
    /// Planned start.
    pub planned: DateTime<Utc>,
    /// Planned end.
    pub ends: DateTime<Utc>,
    /// Window name.
    pub window: String,
    /// Clip id.
    pub clip: String,
    /// Directive number.
    pub directive: Option<String>,
    /// `quota`, `fixed`, `make-up`.
    pub kind: String,
}

/// The id an airing's records carry: its planned start and its clip.
pub fn airing_id(a: &PlannedAiring) -> String {
    format!("{}/{}", a.start.to_rfc3339(), a.clip)
}

/// A row of `SELECT airing_id, planned, ends, window, clip, directive, kind`.
fn stored(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredAiring> {
    Ok(StoredAiring {
        airing_id: r.get(0)?,
        planned: parse_ts(&r.get::<_, String>(1)?)?,
        ends: parse_ts(&r.get::<_, String>(2)?)?,
        window: r.get(3)?,
        clip: r.get(4)?,
        directive: r.get(5)?,
        kind: r.get(6)?,
    })
}

/// The stored calendar.
pub struct CalendarStore {
    conn: Connection,
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn parse_ts(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

impl CalendarStore {
    /// Opens (and creates) the table in `data_dir`.
    pub fn open(data_dir: &Path) -> rusqlite::Result<CalendarStore> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        let conn = Connection::open(data_dir.join(DB_FILE))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS planned_airings (
                airing_id TEXT PRIMARY KEY,
                planned TEXT NOT NULL,
                ends TEXT NOT NULL,
                window TEXT NOT NULL,
                clip TEXT NOT NULL,
                directive TEXT,
                kind TEXT NOT NULL,
                settled INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX IF NOT EXISTS planned_airings_planned ON planned_airings(planned);",
        )?;
        Ok(CalendarStore { conn })
    }

    /// Replaces the unsettled rows from `keep_before` on with `airings`.
    pub fn replace_from(
        &mut self,
        keep_before: DateTime<Utc>,
        airings: &[PlannedAiring],
    ) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM planned_airings WHERE settled = 0 AND planned >= ?1",
            params![ts(keep_before)],
        )?;
        {
            let mut insert = tx.prepare(
                "INSERT OR IGNORE INTO planned_airings (airing_id, planned, ends, window, clip, directive, kind)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for a in airings {
                insert.execute(params![
                    airing_id(a),
                    ts(a.start.with_timezone(&Utc)),
                    ts(a.end.with_timezone(&Utc)),
                    a.window,
                    a.clip,
                    a.directive,
                    a.kind.as_str(),
                ])?;
            }
        }
        tx.commit()
    }

    /// Marks an airing as having its records in the log.
    pub fn settle(&self, airing_id: &str) -> rusqlite::Result<()> {
        self.conn.execute(
            "UPDATE planned_airings SET settled = 1 WHERE airing_id = ?1",
            params![airing_id],
        )?;
        Ok(())
    }

    /// Unsettled airings planned to start before `cutoff`: their time passed
    /// and nothing aired them.
    pub fn passed_unsettled(&self, cutoff: DateTime<Utc>) -> rusqlite::Result<Vec<StoredAiring>> {
        let mut q = self.conn.prepare(
            "SELECT airing_id, planned, ends, window, clip, directive, kind FROM planned_airings
             WHERE settled = 0 AND planned < ?1 ORDER BY planned",
        )?;
        let rows = q.query_map(params![ts(cutoff)], stored)?;
        rows.collect()
    }

    /// Stored airings planned in `[from, to)`, settled or not.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> rusqlite::Result<Vec<StoredAiring>> {
        let mut q = self.conn.prepare(
            "SELECT airing_id, planned, ends, window, clip, directive, kind FROM planned_airings
             WHERE planned >= ?1 AND planned < ?2 ORDER BY planned",
        )?;
        let rows = q.query_map(params![ts(from), ts(to)], stored)?;
        rows.collect()
    }
}
