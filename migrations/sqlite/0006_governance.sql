-- Governance (committee seats with dated terms) and the Supervisory Committee's work
-- (inspections and supervisions, complaints).

CREATE TABLE committee_seat (
    id          INTEGER PRIMARY KEY,
    committee   TEXT NOT NULL,
    person      TEXT NOT NULL,
    position    TEXT NOT NULL,
    term        TEXT NOT NULL,
    from_date   TEXT NOT NULL,
    to_date     TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    author      TEXT NOT NULL
) STRICT;

CREATE TABLE inspection (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER REFERENCES organisation (id),
    kind            TEXT NOT NULL,
    status          TEXT NOT NULL,
    date            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    findings        TEXT NOT NULL,
    recommendations TEXT NOT NULL,
    follow_up       TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    author          TEXT NOT NULL
) STRICT;
CREATE INDEX inspection_date ON inspection (date);

CREATE TABLE complaint (
    id           INTEGER PRIMARY KEY,
    received     TEXT NOT NULL,
    complainant  TEXT NOT NULL,
    org_id       INTEGER REFERENCES organisation (id),
    subject      TEXT NOT NULL,
    handled      TEXT NOT NULL,
    result       TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    author       TEXT NOT NULL
) STRICT;
CREATE INDEX complaint_received ON complaint (received);
