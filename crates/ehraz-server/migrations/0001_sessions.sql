-- Sessions, their answers, one-time codes, code sends (for rate limits) and verifications.
-- Portable SQL: the same file runs on SQLite and PostgreSQL. Times are Unix seconds.

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    flow_id TEXT NOT NULL,
    flow_version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    answers TEXT NOT NULL,
    status TEXT NOT NULL,
    reasons TEXT NOT NULL,
    status_updated_at BIGINT NOT NULL
);

CREATE TABLE codes (
    session_id TEXT NOT NULL,
    step TEXT NOT NULL,
    proves TEXT NOT NULL,
    salt TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    PRIMARY KEY (session_id, step)
);

CREATE TABLE code_sends (
    limit_key TEXT NOT NULL,
    sent_at BIGINT NOT NULL
);

CREATE INDEX code_sends_by_key ON code_sends (limit_key, sent_at);

CREATE TABLE verifications (
    session_id TEXT NOT NULL,
    step TEXT NOT NULL,
    proves TEXT NOT NULL,
    receipt TEXT NOT NULL,
    PRIMARY KEY (session_id, step)
);
