//! SQLite storage. Documents are stored as JSON with the columns needed to filter and sort;
//! every write runs in one transaction.
use crate::error::ApiError;
use crate::seed::{self, Event};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;
use std::sync::Mutex;

pub struct Store {
    conn: Mutex<Connection>,
    pub seed: u64,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS segments (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  is_active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_date TEXT NOT NULL,
  modified_date TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS segments_active ON segments(is_active);
CREATE INDEX IF NOT EXISTS segments_created ON segments(created_date);
CREATE TABLE IF NOT EXISTS action_targets (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  ts INTEGER NOT NULL,
  kind TEXT NOT NULL,
  session_id TEXT NOT NULL,
  session_type TEXT NOT NULL,
  device_category TEXT NOT NULL,
  device_type TEXT NOT NULL,
  country TEXT NOT NULL,
  segment_id TEXT,
  assignment_state TEXT,
  outcome_id TEXT,
  action_id TEXT,
  action_target_id TEXT,
  media_type TEXT,
  value REAL
);
CREATE INDEX IF NOT EXISTS events_ts ON events(ts);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
";

fn parse_doc(s: String) -> Value {
    serde_json::from_str(&s).unwrap_or(Value::Null)
}

/// Current hour, the end of the seeded event window.
pub fn anchor_now() -> i64 {
    let now = chrono::Utc::now().timestamp_millis();
    now - now.rem_euclid(3_600_000)
}

impl Store {
    pub fn open(path: Option<&std::path::Path>, seed: u64) -> Result<Store, rusqlite::Error> {
        let conn = match path {
            Some(p) => Connection::open(p)?,
            None => Connection::open_in_memory()?,
        };
        if path.is_some() {
            // WAL + synchronous=FULL: a committed write survives a kill; a half-done one is rolled back.
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        let store = Store { conn: Mutex::new(conn), seed };
        {
            let mut conn = store.conn.lock().unwrap();
            let tx = conn.transaction()?;
            let seeded: Option<String> = tx
                .query_row("SELECT value FROM meta WHERE key='seed'", [], |r| r.get(0))
                .optional()?;
            match seeded {
                None => Self::seed_all(&tx, seed, anchor_now())?,
                Some(_) => {
                    // Documents persist; the synthetic event window is re-laid when it is over a day old.
                    let anchor: Option<i64> = tx
                        .query_row("SELECT CAST(value AS INTEGER) FROM meta WHERE key='anchor'", [], |r| r.get(0))
                        .optional()?;
                    let now = anchor_now();
                    if anchor.map(|a| now - a > 86_400_000).unwrap_or(true) {
                        let stored_seed: u64 = tx
                            .query_row("SELECT value FROM meta WHERE key='seed'", [], |r| r.get::<_, String>(0))?
                            .parse()
                            .unwrap_or(seed);
                        tx.execute("DELETE FROM events", [])?;
                        let data = seed::generate_documents(stored_seed);
                        Self::insert_events(&tx, &seed::generate_events(stored_seed, now, &data))?;
                        tx.execute("INSERT OR REPLACE INTO meta(key,value) VALUES('anchor',?1)", params![now.to_string()])?;
                    }
                }
            }
            tx.commit()?;
        }
        Ok(store)
    }

    fn seed_all(tx: &rusqlite::Transaction, seed: u64, anchor: i64) -> Result<(), rusqlite::Error> {
        let data = seed::generate_documents(seed);
        for s in &data.segments {
            Self::put_segment(tx, s)?;
        }
        for t in &data.action_targets {
            Self::put_action_target(tx, t)?;
        }
        Self::insert_events(tx, &seed::generate_events(seed, anchor, &data))?;
        tx.execute("INSERT OR REPLACE INTO meta(key,value) VALUES('seed',?1)", params![seed.to_string()])?;
        tx.execute("INSERT OR REPLACE INTO meta(key,value) VALUES('anchor',?1)", params![anchor.to_string()])?;
        Ok(())
    }

    fn insert_events(tx: &rusqlite::Transaction, events: &[Event]) -> Result<(), rusqlite::Error> {
        let mut st = tx.prepare(
            "INSERT INTO events(ts,kind,session_id,session_type,device_category,device_type,country,segment_id,assignment_state,outcome_id,action_id,action_target_id,media_type,value)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
        )?;
        for e in events {
            st.execute(params![
                e.ts, e.kind, e.session_id, e.session_type, e.device_category, e.device_type, e.country,
                e.segment_id, e.assignment_state, e.outcome_id, e.action_id, e.action_target_id, e.media_type, e.value
            ])?;
        }
        Ok(())
    }

    fn put_segment(tx: &Connection, s: &Value) -> Result<(), rusqlite::Error> {
        tx.execute(
            "INSERT OR REPLACE INTO segments(id,display_name,is_active,version,created_date,modified_date,doc) VALUES (?1,?2,?3,?4,?5,?6,?7)",
            params![
                s["id"].as_str().unwrap_or_default(),
                s["displayName"].as_str().unwrap_or_default(),
                s["isActive"].as_bool().unwrap_or(true),
                s["version"].as_i64().unwrap_or(1),
                s["createdDate"].as_str().unwrap_or_default(),
                s["modifiedDate"].as_str().unwrap_or_default(),
                s.to_string()
            ],
        )?;
        Ok(())
    }

    fn put_action_target(tx: &Connection, t: &Value) -> Result<(), rusqlite::Error> {
        tx.execute(
            "INSERT OR REPLACE INTO action_targets(id,name,doc) VALUES (?1,?2,?3)",
            params![t["id"].as_str().unwrap_or_default(), t["name"].as_str().unwrap_or_default(), t.to_string()],
        )?;
        Ok(())
    }

    /// Restore the seeded state (same seed), in one transaction.
    pub fn reset(&self) -> Result<(), rusqlite::Error> {
        let mut conn = self.conn.lock().unwrap();
        let tx = conn.transaction()?;
        tx.execute_batch("DELETE FROM segments; DELETE FROM action_targets; DELETE FROM events; DELETE FROM meta;")?;
        Self::seed_all(&tx, self.seed, anchor_now())?;
        tx.commit()
    }

    pub fn list_segments(&self, is_active: Option<bool>, ids: Option<&[String]>) -> Result<Vec<Value>, rusqlite::Error> {
        let conn = self.conn.lock().unwrap();
        let mut raw: Vec<String> = Vec::new();
        match ids {
            Some(ids) => {
                let mut st = conn.prepare_cached("SELECT doc, is_active FROM segments WHERE id = ?1")?;
                let mut seen = std::collections::HashSet::new();
                for id in ids {
                    if !seen.insert(id) {
                        continue;
                    }
                    if let Some((doc, active)) = st
                        .query_row(params![id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))
                        .optional()?
                    {
                        if is_active.map(|a| a == active).unwrap_or(true) {
                            raw.push(doc);
                        }
                    }
                }
            }
            None => {
                let (sql, p): (&str, Vec<i64>) = match is_active {
                    Some(a) => ("SELECT doc FROM segments WHERE is_active = ?1 ORDER BY created_date, id", vec![a as i64]),
                    None => ("SELECT doc FROM segments ORDER BY created_date, id", vec![]),
                };
                let mut st = conn.prepare_cached(sql)?;
                let rows = st.query_map(rusqlite::params_from_iter(p), |r| r.get::<_, String>(0))?;
                for row in rows {
                    raw.push(row?);
                }
            }
        }
        drop(conn);
        // JSON parsing happens outside the lock.
        Ok(raw.into_iter().map(parse_doc).collect())
    }

    pub fn get_segment(&self, id: &str) -> Result<Option<Value>, rusqlite::Error> {
        let conn = self.conn.lock().unwrap();
        let doc = conn
            .prepare_cached("SELECT doc FROM segments WHERE id = ?1")?
            .query_row(params![id], |r| r.get::<_, String>(0))
            .optional()?;
        Ok(doc.map(parse_doc))
    }

    pub fn insert_segment(&self, doc: &Value) -> Result<(), rusqlite::Error> {
        let mut conn = self.conn.lock().unwrap();
        let tx = conn.transaction()?;
        Self::put_segment(&tx, doc)?;
        tx.commit()
    }

    /// Read-modify-write of one segment inside one transaction.
    pub fn update_segment<F>(&self, id: &str, f: F) -> Result<Value, ApiError>
    where
        F: FnOnce(&mut Value) -> Result<(), ApiError>,
    {
        self.read_modify_write("SELECT doc FROM segments WHERE id = ?1", Self::put_segment, id, || {
            ApiError::not_found(format!("Journey segment {id} not found"))
        }, f)
    }

    pub fn delete_segment(&self, id: &str) -> Result<bool, rusqlite::Error> {
        let mut conn = self.conn.lock().unwrap();
        let tx = conn.transaction()?;
        let n = tx.execute("DELETE FROM segments WHERE id = ?1", params![id])?;
        tx.commit()?;
        Ok(n > 0)
    }

    pub fn list_action_targets(&self) -> Result<Vec<Value>, rusqlite::Error> {
        let conn = self.conn.lock().unwrap();
        let mut st = conn.prepare_cached("SELECT doc FROM action_targets ORDER BY name, id")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|r| r.map(parse_doc)).collect()
    }

    pub fn get_action_target(&self, id: &str) -> Result<Option<Value>, rusqlite::Error> {
        let conn = self.conn.lock().unwrap();
        let doc = conn
            .prepare_cached("SELECT doc FROM action_targets WHERE id = ?1")?
            .query_row(params![id], |r| r.get::<_, String>(0))
            .optional()?;
        Ok(doc.map(parse_doc))
    }

    /// Read-modify-write of one action target inside one transaction.
    pub fn update_action_target<F>(&self, id: &str, f: F) -> Result<Value, ApiError>
    where
        F: FnOnce(&mut Value) -> Result<(), ApiError>,
    {
        self.read_modify_write("SELECT doc FROM action_targets WHERE id = ?1", Self::put_action_target, id, || {
            ApiError::not_found(format!("Action target {id} not found"))
        }, f)
    }

    /// Reads the document `select` finds for `id`, lets `f` change it and writes it back with
    /// `put`, all in one transaction: a failure anywhere leaves the stored document as it was.
    fn read_modify_write<F>(
        &self,
        select: &str,
        put: fn(&Connection, &Value) -> Result<(), rusqlite::Error>,
        id: &str,
        not_found: impl FnOnce() -> ApiError,
        f: F,
    ) -> Result<Value, ApiError>
    where
        F: FnOnce(&mut Value) -> Result<(), ApiError>,
    {
        let mut conn = self.conn.lock().unwrap();
        let tx = conn.transaction()?;
        let doc = tx.query_row(select, params![id], |r| r.get::<_, String>(0)).optional()?;
        let mut doc = match doc {
            Some(d) => parse_doc(d),
            None => return Err(not_found()),
        };
        f(&mut doc)?;
        put(&tx, &doc)?;
        tx.commit()?;
        Ok(doc)
    }

    pub fn events_between(&self, start_ms: i64, end_ms: i64) -> Result<Vec<Event>, rusqlite::Error> {
        let conn = self.conn.lock().unwrap();
        let mut st = conn.prepare_cached(
            "SELECT ts,kind,session_id,session_type,device_category,device_type,country,segment_id,assignment_state,outcome_id,action_id,action_target_id,media_type,value
             FROM events WHERE ts >= ?1 AND ts < ?2 ORDER BY ts",
        )?;
        let rows = st.query_map(params![start_ms, end_ms], |r| {
            Ok(Event {
                ts: r.get(0)?,
                kind: r.get(1)?,
                session_id: r.get(2)?,
                session_type: r.get(3)?,
                device_category: r.get(4)?,
                device_type: r.get(5)?,
                country: r.get(6)?,
                segment_id: r.get(7)?,
                assignment_state: r.get(8)?,
                outcome_id: r.get(9)?,
                action_id: r.get(10)?,
                action_target_id: r.get(11)?,
                media_type: r.get(12)?,
                value: r.get(13)?,
            })
        })?;
        rows.collect()
    }

    pub fn event_count(&self) -> Result<i64, rusqlite::Error> {
        let conn = self.conn.lock().unwrap();
        conn.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
    }

    pub fn save_token(&self, token: &str, expires_at: i64) -> Result<(), rusqlite::Error> {
        let mut conn = self.conn.lock().unwrap();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM tokens WHERE expires_at < ?1", params![chrono::Utc::now().timestamp()])?;
        tx.execute("INSERT OR REPLACE INTO tokens(token, expires_at) VALUES (?1, ?2)", params![token, expires_at])?;
        tx.commit()
    }

    pub fn load_tokens(&self) -> Result<Vec<(String, i64)>, rusqlite::Error> {
        let conn = self.conn.lock().unwrap();
        let mut st = conn.prepare("SELECT token, expires_at FROM tokens")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }
}
