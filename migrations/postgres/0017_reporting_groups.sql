-- Reporting groups a deployment defines over its fields ("công thương" = công nghiệp - tiểu
-- thủ công nghiệp + thương mại), used in its report's prose and tables. A field is in one
-- group at most: the field is the key of its membership.
CREATE TABLE reporting_group (
    code    TEXT PRIMARY KEY,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE reporting_group_field (
    sector_code TEXT PRIMARY KEY REFERENCES sector (code),
    group_code  TEXT NOT NULL REFERENCES reporting_group (code) ON DELETE CASCADE
);
