-- The yearly evaluation of cooperatives (Circular 01/2020/TT-BKHĐT). A correction is a new
-- version; the latest version of an organisation's year is its evaluation. Points and totals
-- are hundredths of a point.
CREATE TABLE org_evaluation (
    org_id      INTEGER NOT NULL REFERENCES organisation (id),
    year        INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    -- 'graded' or 'not_graded'
    outcome     TEXT NOT NULL,
    grade       TEXT,
    total       INTEGER,
    -- JSON array of the fifteen criteria's points, when the sheet is known
    points      TEXT,
    exemption   TEXT,
    scored_by   TEXT NOT NULL,
    scored_on   TEXT,
    note        TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    author      TEXT NOT NULL,
    PRIMARY KEY (org_id, year, version)
) STRICT;
CREATE INDEX org_evaluation_year ON org_evaluation (year, org_id, version);

-- The suspensions overlapping a year, for the registry's reasons not to grade (few rows).
CREATE INDEX org_interval_suspended ON org_interval (valid_from, valid_to) WHERE status = 'suspended';
