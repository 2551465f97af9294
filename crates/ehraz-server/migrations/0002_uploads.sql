-- Resumable uploads (tus 1.0), each tied to a session's capture step and a media type.

CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    step TEXT NOT NULL,
    media_type TEXT NOT NULL,
    length BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    sha256 TEXT
);

CREATE INDEX uploads_by_session ON uploads (session_id, step, media_type);
