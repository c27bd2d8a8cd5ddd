-- Plans with targets: one plan per period code ("2022", "2022-H1"), each target an indicator
-- of the catalogue in src/domain/plans.rs.

CREATE TABLE plan (
    period      TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    reference   TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    author      TEXT NOT NULL
) STRICT;

CREATE TABLE plan_target (
    period    TEXT NOT NULL REFERENCES plan (period),
    indicator TEXT NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (period, indicator)
) STRICT;
