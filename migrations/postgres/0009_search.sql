-- Substring search over names and codes without reading every organisation: trigram
-- indexes serve LIKE '%…%' directly (pg_trgm is a trusted extension since PostgreSQL 13).

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX organisation_name_trgm ON organisation USING gin (name_folded gin_trgm_ops);
CREATE INDEX organisation_code_trgm ON organisation USING gin (reg_code gin_trgm_ops);
