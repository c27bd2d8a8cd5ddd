-- Accounts of the web application: users with a role and an area, login sessions and API
-- tokens. Users are disabled, never deleted, so the audit log's authors stay meaningful.

CREATE TABLE app_user (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    -- Administrative unit id (old-… or new-…) an area officer is limited to; '' = whole province.
    area          TEXT NOT NULL,
    lang          TEXT NOT NULL,
    disabled      INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    version       INTEGER NOT NULL
) STRICT;

-- Only a hash of the session id is kept, so a copy of the database cannot be used to log in.
CREATE TABLE app_session (
    id_hash     TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES app_user (id),
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) STRICT;
CREATE INDEX app_session_user ON app_session (user_id);

CREATE TABLE api_token (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES app_user (id),
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
) STRICT;
