-- The Alliance's own work: its members (dated periods, never overwritten) and its activities
-- (training, media, fairs, events, advisory documents, selections), with participating
-- organisations.

CREATE TABLE member (
    id      INTEGER PRIMARY KEY,
    -- A registered organisation, or (for enterprises and associations) a name only.
    org_id  INTEGER UNIQUE REFERENCES organisation (id),
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL
) STRICT;

CREATE TABLE membership_event (
    id             INTEGER PRIMARY KEY,
    member_id      INTEGER NOT NULL REFERENCES member (id),
    kind           TEXT NOT NULL,
    category       TEXT NOT NULL,
    effective_date TEXT NOT NULL,
    reference      TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    author         TEXT NOT NULL
) STRICT;
CREATE INDEX membership_event_member ON membership_event (member_id, effective_date, id);

CREATE TABLE activity (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    area        TEXT NOT NULL,
    quantity    INTEGER NOT NULL,
    attendees   INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    partner     TEXT NOT NULL,
    document_no TEXT NOT NULL,
    issuer      TEXT NOT NULL,
    funding     TEXT NOT NULL,
    note        TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    author      TEXT NOT NULL
) STRICT;
CREATE INDEX activity_date ON activity (start_date, kind);

CREATE TABLE activity_org (
    activity_id INTEGER NOT NULL REFERENCES activity (id),
    org_id      INTEGER NOT NULL REFERENCES organisation (id),
    PRIMARY KEY (activity_id, org_id)
) STRICT;
