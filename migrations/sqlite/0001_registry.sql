-- The registry: organisations, their dated events, a projection of validity intervals
-- rebuilt from the events, yearly figures, the sector taxonomy, settings and the audit log.

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE sector (
    code       TEXT PRIMARY KEY,
    group_code TEXT NOT NULL,
    name_vi    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    prose      TEXT NOT NULL,
    vsic       TEXT NOT NULL,
    sort       INTEGER NOT NULL,
    built_in   INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE organisation (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    reg_code    TEXT NOT NULL UNIQUE,
    -- Latest name, for search and sorting; the history is in org_event.
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    name_sort   TEXT NOT NULL,
    -- Optimistic concurrency: every write bumps it; a write with a stale version is refused.
    version     INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX organisation_name_sort ON organisation (name_sort);

CREATE TABLE org_event (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organisation (id),
    kind           TEXT NOT NULL,
    effective_date TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    author         TEXT NOT NULL,
    payload        TEXT NOT NULL
) STRICT;
CREATE INDEX org_event_org ON org_event (org_id, effective_date, id);
CREATE INDEX org_event_date ON org_event (effective_date, kind);

-- Derived from org_event by replay; never edited by hand. valid_to is exclusive,
-- '9999-12-31' when open.
CREATE TABLE org_interval (
    org_id     INTEGER NOT NULL REFERENCES organisation (id),
    valid_from TEXT NOT NULL,
    valid_to   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    status     TEXT NOT NULL,
    counted    INTEGER NOT NULL,
    sector     TEXT NOT NULL,
    commune    TEXT NOT NULL,
    flags      INTEGER NOT NULL,
    PRIMARY KEY (org_id, valid_from)
) STRICT;
CREATE INDEX org_interval_dates ON org_interval (valid_from, valid_to);
-- Covers the report's as-of counts: grouped in index order, no table lookups.
CREATE INDEX org_interval_stock ON org_interval (counted, kind, sector, commune, valid_from, valid_to);

CREATE TABLE org_figure (
    org_id            INTEGER NOT NULL REFERENCES organisation (id),
    year              INTEGER NOT NULL,
    official_members  INTEGER,
    associate_members INTEGER,
    workers           INTEGER,
    charter_capital   INTEGER,
    total_assets      INTEGER,
    revenue           INTEGER,
    profit            INTEGER,
    average_income    INTEGER,
    PRIMARY KEY (org_id, year)
) STRICT;
CREATE INDEX org_figure_year ON org_figure (year);

-- Append-only: who changed what, when, before and after (JSON).
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    author    TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before    TEXT,
    after     TEXT
) STRICT;
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
