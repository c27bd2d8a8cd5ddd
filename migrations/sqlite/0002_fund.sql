-- The support fund: its capital, borrowers, loans with their contract schedule, and loan
-- transactions (never deleted: a mistaken entry is cancelled by a reversal).

CREATE TABLE fund_capital (
    id          INTEGER PRIMARY KEY,
    value_date  TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    source      TEXT NOT NULL,
    reference   TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    author      TEXT NOT NULL
) STRICT;

CREATE TABLE borrower (
    id            INTEGER PRIMARY KEY,
    -- An organisation borrowing in its own name…
    org_id        INTEGER REFERENCES organisation (id),
    -- …or a member of an HTX or THT borrowing as a person.
    person_name   TEXT NOT NULL DEFAULT '',
    person_id     TEXT NOT NULL DEFAULT '',
    member_of     INTEGER REFERENCES organisation (id),
    -- Borrowers sharing a label are related parties for the 25% limit.
    related_group TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE UNIQUE INDEX borrower_org ON borrower (org_id) WHERE org_id IS NOT NULL;

CREATE TABLE loan (
    id                     INTEGER PRIMARY KEY,
    contract_no            TEXT NOT NULL UNIQUE,
    borrower_id            INTEGER NOT NULL REFERENCES borrower (id),
    purpose                TEXT NOT NULL,
    decision_no            TEXT NOT NULL,
    decision_date          TEXT NOT NULL,
    contract_date          TEXT NOT NULL,
    approved_amount        INTEGER NOT NULL,
    annual_rate_bp         INTEGER NOT NULL,
    overdue_rate_bp        INTEGER NOT NULL,
    term_months            INTEGER NOT NULL,
    repayment_every_months INTEGER NOT NULL,
    method                 TEXT NOT NULL,
    maturity               TEXT NOT NULL,
    collateral             TEXT NOT NULL,
    project_cost           INTEGER NOT NULL,
    own_capital            INTEGER NOT NULL,
    -- The contract schedule (JSON list of {due, principal, interest}).
    schedule               TEXT NOT NULL,
    version                INTEGER NOT NULL DEFAULT 1,
    recorded_at            TEXT NOT NULL,
    author                 TEXT NOT NULL
) STRICT;
CREATE INDEX loan_borrower ON loan (borrower_id);

CREATE TABLE loan_tx (
    id           INTEGER PRIMARY KEY,
    loan_id      INTEGER NOT NULL REFERENCES loan (id),
    kind         TEXT NOT NULL,
    value_date   TEXT NOT NULL,
    amount       INTEGER NOT NULL,
    new_maturity TEXT NOT NULL DEFAULT '',
    new_schedule TEXT NOT NULL DEFAULT '[]',
    reverses     INTEGER,
    reference    TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL,
    author       TEXT NOT NULL
) STRICT;
CREATE INDEX loan_tx_loan ON loan_tx (loan_id, value_date, id);
CREATE INDEX loan_tx_date ON loan_tx (value_date, kind);
CREATE INDEX loan_tx_reverses ON loan_tx (reverses) WHERE reverses IS NOT NULL;

-- Derived from loan and loan_tx by replay (domain::fund::positions); never edited by hand.
-- A loan's outstanding and overdue principal are constant over [valid_from, valid_to);
-- days past due on day D are D − overdue_since_day (Julian day numbers; 0 when nothing is
-- overdue). valid_to is '9999-12-31' for the last stretch.
CREATE TABLE loan_position (
    loan_id           INTEGER NOT NULL REFERENCES loan (id),
    borrower_id       INTEGER NOT NULL,
    valid_from        TEXT NOT NULL,
    valid_to          TEXT NOT NULL,
    outstanding       INTEGER NOT NULL,
    overdue_principal INTEGER NOT NULL,
    overdue_since_day INTEGER NOT NULL,
    maturity          TEXT NOT NULL,
    PRIMARY KEY (loan_id, valid_from)
) STRICT;
-- Covers the portfolio on a date.
CREATE INDEX loan_position_at ON loan_position
    (valid_to, valid_from, outstanding, overdue_principal, overdue_since_day, borrower_id);
