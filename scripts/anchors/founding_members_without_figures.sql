-- Mirrors Store::founding_members_without_figures (src/store/report.rs): the founding members
-- of each organisation counted on the period end that has no yearly figures up to $year.
-- $year = $1 (the last full year ended by the period end, as for member_figures.sql) and
-- $end = $2 (the period end). organisation.founding_members is derived from the establishment
-- event by the projection (migration 0016); the Rust returns one row per organisation, this
-- sums them per commune and kind. The FROM and WHERE are the Rust's (CROSS JOIN keeps
-- SQLite's order: the few organisations with founding members first).
SELECT i.commune, i.kind,
    CAST(COUNT(*) AS BIGINT),
    CAST(SUM(o.founding_members) AS BIGINT)
FROM organisation o
CROSS JOIN org_interval i
WHERE o.founding_members IS NOT NULL
  AND i.org_id = o.id AND i.counted = 1 AND i.valid_from <= $end AND i.valid_to > $end
  AND NOT EXISTS (SELECT 1 FROM org_figure f WHERE f.org_id = o.id
                  AND f.year <= $year)
GROUP BY i.commune, i.kind;
