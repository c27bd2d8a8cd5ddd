-- Issued reports: figures, text and document frozen with their number and date, so that the
-- same report can be produced again identically whatever is entered afterwards.

CREATE TABLE issued_report (
    number      TEXT PRIMARY KEY,
    period      TEXT NOT NULL,
    period_end  TEXT NOT NULL,
    period_start TEXT NOT NULL,
    issued_on   TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    author      TEXT NOT NULL,
    figures     TEXT NOT NULL,
    markdown    TEXT NOT NULL,
    docx        BLOB NOT NULL,
    xlsx        BLOB NOT NULL
) STRICT;
