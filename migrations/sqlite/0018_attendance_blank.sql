-- Attendances nobody entered are blank, not 0: a figure nobody gave is no figure. SQLite cannot
-- drop a NOT NULL, so the table is rebuilt; activity_org, which references it, is rebuilt with
-- it (renaming a table rewrites the references to it, so both are renamed first). Until now a
-- blank was stored as 0 and read as blank, so a stored 0 becomes NULL.
ALTER TABLE activity_org RENAME TO activity_org_before;
ALTER TABLE activity RENAME TO activity_before;
DROP INDEX activity_date;

CREATE TABLE activity (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    area        TEXT NOT NULL,
    quantity    INTEGER NOT NULL,
    attendees   INTEGER,
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

INSERT INTO activity (id, kind, title, status, start_date, end_date, area, quantity, attendees,
                      channel, partner, document_no, issuer, funding, note, recorded_at, author)
SELECT id, kind, title, status, start_date, end_date, area, quantity, NULLIF(attendees, 0),
       channel, partner, document_no, issuer, funding, note, recorded_at, author
FROM activity_before;
INSERT INTO activity_org (activity_id, org_id) SELECT activity_id, org_id FROM activity_org_before;

DROP TABLE activity_org_before;
DROP TABLE activity_before;
