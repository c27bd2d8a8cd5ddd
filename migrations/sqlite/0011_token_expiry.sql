-- API tokens may be issued for a limited time; NULL means until revoked. Times are ISO text in
-- UTC like the sessions' expires_at, so they compare as text.
ALTER TABLE api_token ADD COLUMN expires_at TEXT;
