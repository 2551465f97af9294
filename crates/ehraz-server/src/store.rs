//! Persistence: SQLite by default, PostgreSQL through the same code and a `postgres://`
//! URL. Every query is parameterised.

use std::collections::BTreeMap;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Row};

/// The database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
}

/// A session as stored.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    /// Its id.
    pub id: String,
    /// SHA-256 (hex) of its bearer token.
    pub token_hash: String,
    /// The flow it follows.
    pub flow_id: String,
    /// Normalised answers by field id.
    pub answers: BTreeMap<String, String>,
    /// Its verification status.
    pub status: String,
    /// Reasons given with the status, as stored JSON.
    pub reasons: String,
    /// When the status last changed.
    pub status_updated_at: i64,
    /// The manifest it was submitted with, as stored JSON.
    pub manifest: Option<String>,
}

/// A one-time code as stored: only a salted hash of it.
#[derive(Debug, Clone)]
pub struct CodeRecord {
    /// What it proves: the values of the fields it was sent for, joined.
    pub proves: String,
    /// Random salt of the hash.
    pub salt: String,
    /// SHA-256 (hex) of salt and code.
    pub code_hash: String,
    /// When it was sent.
    pub sent_at: i64,
    /// When it stops working.
    pub expires_at: i64,
    /// Wrong tries so far.
    pub attempts: i64,
}

/// An upload as stored; its bytes and offset live in the media store.
#[derive(Debug, Clone)]
pub struct UploadRecord {
    /// Its id.
    pub id: String,
    /// The session it belongs to.
    pub session_id: String,
    /// The capture step.
    pub step: String,
    /// Declared media type, e.g. `image/jpeg`.
    pub media_type: String,
    /// Declared length in bytes.
    pub length: i64,
    /// When an unfinished upload is dropped.
    pub expires_at: i64,
    /// SHA-256 (hex) once complete.
    pub sha256: Option<String>,
}

impl Store {
    /// Connects (creating a SQLite file if needed) and applies the migrations.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        install_default_drivers();
        let url = if url.starts_with("sqlite:") && !url.contains('?') {
            format!("{url}?mode=rwc")
        } else {
            url.to_owned()
        };
        // SQLite takes one writer at a time; more connections only queue on its lock.
        let max = if url.starts_with("sqlite:") { 1 } else { 8 };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .connect(&url)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    /// Stores a new session.
    pub async fn create_session(
        &self,
        id: &str,
        token_hash: &str,
        flow_id: &str,
        flow_version: i64,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO sessions (id, token_hash, flow_id, flow_version, created_at, answers, status, reasons, status_updated_at)
             VALUES ($1, $2, $3, $4, $5, '{}', 'open', '[]', $5)",
        )
        .bind(id)
        .bind(token_hash)
        .bind(flow_id)
        .bind(flow_version)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A session by id.
    pub async fn session(&self, id: &str) -> Result<Option<SessionRecord>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT id, token_hash, flow_id, answers, status, reasons, status_updated_at, manifest FROM sessions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let answers: String = row.try_get("answers")?;
            Ok(SessionRecord {
                id: row.try_get("id")?,
                token_hash: row.try_get("token_hash")?,
                flow_id: row.try_get("flow_id")?,
                answers: serde_json::from_str(&answers)
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                status: row.try_get("status")?,
                reasons: row.try_get("reasons")?,
                status_updated_at: row.try_get("status_updated_at")?,
                manifest: row.try_get("manifest")?,
            })
        })
        .transpose()
    }

    /// Replaces a session's answers.
    pub async fn set_answers(
        &self,
        id: &str,
        answers: &BTreeMap<String, String>,
    ) -> Result<(), sqlx::Error> {
        let json = serde_json::to_string(answers).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        sqlx::query("UPDATE sessions SET answers = $1 WHERE id = $2")
            .bind(json)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Sets a session's status and reasons.
    pub async fn set_status(
        &self,
        id: &str,
        status: &str,
        reasons: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE sessions SET status = $1, reasons = $2, status_updated_at = $3 WHERE id = $4",
        )
        .bind(status)
        .bind(reasons)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a submission: its manifest, and the status `pending`.
    pub async fn submit(&self, id: &str, manifest: &str, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE sessions SET manifest = $1, status = 'pending', reasons = '[]', status_updated_at = $2 WHERE id = $3",
        )
        .bind(manifest)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Stores a freshly sent code, replacing the step's earlier one.
    pub async fn put_code(
        &self,
        session: &str,
        step: &str,
        code: &CodeRecord,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM codes WHERE session_id = $1 AND step = $2")
            .bind(session)
            .bind(step)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO codes (session_id, step, proves, salt, code_hash, sent_at, expires_at, attempts)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(session)
        .bind(step)
        .bind(&code.proves)
        .bind(&code.salt)
        .bind(&code.code_hash)
        .bind(code.sent_at)
        .bind(code.expires_at)
        .bind(code.attempts)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// The step's current code.
    pub async fn code(&self, session: &str, step: &str) -> Result<Option<CodeRecord>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT proves, salt, code_hash, sent_at, expires_at, attempts FROM codes WHERE session_id = $1 AND step = $2",
        )
        .bind(session)
        .bind(step)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(CodeRecord {
                proves: row.try_get("proves")?,
                salt: row.try_get("salt")?,
                code_hash: row.try_get("code_hash")?,
                sent_at: row.try_get("sent_at")?,
                expires_at: row.try_get("expires_at")?,
                attempts: row.try_get("attempts")?,
            })
        })
        .transpose()
    }

    /// Counts one more wrong try; returns the new count.
    pub async fn add_attempt(&self, session: &str, step: &str) -> Result<i64, sqlx::Error> {
        sqlx::query("UPDATE codes SET attempts = attempts + 1 WHERE session_id = $1 AND step = $2")
            .bind(session)
            .bind(step)
            .execute(&self.pool)
            .await?;
        Ok(self.code(session, step).await?.map_or(0, |c| c.attempts))
    }

    /// Removes a step's code (used, or spent).
    pub async fn delete_code(&self, session: &str, step: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM codes WHERE session_id = $1 AND step = $2")
            .bind(session)
            .bind(step)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a code send under a rate-limit key.
    pub async fn record_send(&self, key: &str, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO code_sends (limit_key, sent_at) VALUES ($1, $2)")
            .bind(key)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Send times under a key since a moment, oldest first.
    pub async fn sends_since(&self, key: &str, since: i64) -> Result<Vec<i64>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT sent_at FROM code_sends WHERE limit_key = $1 AND sent_at > $2 ORDER BY sent_at",
        )
        .bind(key)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| r.try_get("sent_at")).collect()
    }

    /// Records that a step's code was right.
    pub async fn put_verification(
        &self,
        session: &str,
        step: &str,
        proves: &str,
        receipt: &str,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM verifications WHERE session_id = $1 AND step = $2")
            .bind(session)
            .bind(step)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO verifications (session_id, step, proves, receipt) VALUES ($1, $2, $3, $4)",
        )
        .bind(session)
        .bind(step)
        .bind(proves)
        .bind(receipt)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// The verifications of a session: step → (what it proved, receipt).
    pub async fn verifications(
        &self,
        session: &str,
    ) -> Result<BTreeMap<String, (String, String)>, sqlx::Error> {
        let rows =
            sqlx::query("SELECT step, proves, receipt FROM verifications WHERE session_id = $1")
                .bind(session)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("step")?,
                    (r.try_get("proves")?, r.try_get("receipt")?),
                ))
            })
            .collect()
    }

    /// Records a new upload.
    pub async fn create_upload(&self, upload: &UploadRecord, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO uploads (id, session_id, step, media_type, length, created_at, expires_at, sha256)
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)",
        )
        .bind(&upload.id)
        .bind(&upload.session_id)
        .bind(&upload.step)
        .bind(&upload.media_type)
        .bind(upload.length)
        .bind(now)
        .bind(upload.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// An upload by id.
    pub async fn upload(&self, id: &str) -> Result<Option<UploadRecord>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT id, session_id, step, media_type, length, expires_at, sha256 FROM uploads WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(upload_from_row).transpose()
    }

    /// Marks an upload complete with its digest.
    pub async fn complete_upload(&self, id: &str, sha256: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE uploads SET sha256 = $1 WHERE id = $2")
            .bind(sha256)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets an upload.
    pub async fn delete_upload(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM uploads WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The complete uploads of a session.
    pub async fn complete_uploads(&self, session: &str) -> Result<Vec<UploadRecord>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, session_id, step, media_type, length, expires_at, sha256 FROM uploads
             WHERE session_id = $1 AND sha256 IS NOT NULL",
        )
        .bind(session)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(upload_from_row).collect()
    }

    /// Unfinished uploads past their expiry.
    pub async fn expired_uploads(&self, now: i64) -> Result<Vec<String>, sqlx::Error> {
        let rows = sqlx::query("SELECT id FROM uploads WHERE sha256 IS NULL AND expires_at <= $1")
            .bind(now)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| r.try_get("id")).collect()
    }
}

fn upload_from_row(row: &sqlx::any::AnyRow) -> Result<UploadRecord, sqlx::Error> {
    Ok(UploadRecord {
        id: row.try_get("id")?,
        session_id: row.try_get("session_id")?,
        step: row.try_get("step")?,
        media_type: row.try_get("media_type")?,
        length: row.try_get("length")?,
        expires_at: row.try_get("expires_at")?,
        sha256: row.try_get("sha256")?,
    })
}
