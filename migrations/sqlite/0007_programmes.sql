-- Programmes and policies (Decision 167/QĐ-TTg, 1804/QĐ-TTg, provincial resolutions): dated
-- stages of the organisations taking part, and the support given to organisations.

CREATE TABLE programme (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    decision      TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    author        TEXT NOT NULL
) STRICT;

CREATE TABLE programme_stage (
    id          INTEGER PRIMARY KEY,
    programme   TEXT NOT NULL REFERENCES programme (code),
    org_id      INTEGER NOT NULL REFERENCES organisation (id),
    stage       TEXT NOT NULL,
    date        TEXT NOT NULL,
    note        TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    author      TEXT NOT NULL
) STRICT;
CREATE INDEX programme_stage_date ON programme_stage (programme, date);

CREATE TABLE support (
    id          INTEGER PRIMARY KEY,
    programme   TEXT REFERENCES programme (code),
    org_id      INTEGER NOT NULL REFERENCES organisation (id),
    category    TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    date        TEXT NOT NULL,
    note        TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    author      TEXT NOT NULL
) STRICT;
CREATE INDEX support_date ON support (date);
