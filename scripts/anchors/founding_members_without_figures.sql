-- Mirrors Store::founding_members_without_figures (src/store/report.rs): the founding members
-- recorded by the establishment of each organisation counted on the period end that has no
-- yearly figures up to $year. $year = $1 (the last full year ended by the period end, as for
-- member_figures.sql) and $end = $2 (the period end). The FROM and WHERE are the Rust's; the
-- Rust moves each payload out and reads founding_members with serde, skipping a payload
-- without it, where this sums json_extract's value per commune and kind (a JSON null or a
-- missing key is NULL, which COUNT and SUM skip alike). json_extract is SQLite's and DuckDB's
-- (there it returns JSON, hence the CAST).
SELECT i.commune, i.kind,
    CAST(COUNT(CAST(json_extract(e.payload, '$.founding_members') AS BIGINT)) AS BIGINT),
    CAST(COALESCE(SUM(CAST(json_extract(e.payload, '$.founding_members') AS BIGINT)), 0) AS BIGINT)
FROM org_interval i
JOIN org_event e ON e.org_id = i.org_id AND e.kind = 'established'
WHERE i.counted = 1 AND i.valid_from <= $end AND i.valid_to > $end
  AND e.payload LIKE '%"founding_members"%'
  AND NOT EXISTS (SELECT 1 FROM org_figure f WHERE f.org_id = i.org_id
                  AND f.year <= $year)
GROUP BY i.commune, i.kind;
