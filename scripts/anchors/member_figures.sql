-- Mirrors Store::member_figures (src/store/report.rs): the latest yearly figures up to $year
-- of each organisation counted on the period end (its latest known figures: the subquery
-- finds, per organisation, its latest year up to $year), summed per commune, kind,
-- field and year of those figures (the Rust also returns the field, after the year; here the
-- year stays the last column for the check). $year = $1 (the last full year ended
-- by the period end, 2023 for 2024-H1, as report::figures::build computes it) and $end = $2
-- (the period end).
SELECT i.commune, i.kind, CAST(COUNT(*) AS BIGINT),
    CAST(COALESCE(SUM(f.official_members), 0) AS BIGINT),
    CAST(COALESCE(SUM(f.associate_members), 0) AS BIGINT),
    CAST(COALESCE(SUM(f.workers), 0) AS BIGINT),
    CAST(COALESCE(SUM(f.charter_capital), 0) AS BIGINT),
    CAST(COALESCE(SUM(f.total_assets), 0) AS BIGINT),
    CAST(COALESCE(SUM(f.revenue), 0) AS BIGINT),
    CAST(COALESCE(SUM(f.profit), 0) AS BIGINT),
    CAST(COALESCE(SUM(CASE WHEN f.average_income IS NOT NULL AND f.workers IS NOT NULL
                      THEN f.average_income * f.workers ELSE 0 END), 0) AS BIGINT),
    CAST(COALESCE(SUM(CASE WHEN f.average_income IS NOT NULL AND f.workers IS NOT NULL
                      THEN f.workers ELSE 0 END), 0) AS BIGINT),
    CAST(SUM(f.seasonal_workers) AS BIGINT),
    CAST(SUM(f.operating_capital) AS BIGINT),
    CAST(COUNT(f.official_members) AS BIGINT),
    CAST(COUNT(f.associate_members) AS BIGINT),
    CAST(COUNT(f.workers) AS BIGINT),
    CAST(COUNT(f.seasonal_workers) AS BIGINT),
    CAST(COUNT(f.charter_capital) AS BIGINT),
    CAST(COUNT(f.operating_capital) AS BIGINT),
    CAST(COUNT(f.total_assets) AS BIGINT),
    CAST(COUNT(f.revenue) AS BIGINT),
    CAST(COUNT(f.profit) AS BIGINT),
    CAST(COUNT(f.average_income) AS BIGINT),
    CAST(f.year AS BIGINT)
FROM (SELECT org_id, MAX(year) AS year FROM org_figure WHERE year <= $year
      GROUP BY org_id) latest
CROSS JOIN org_figure f
CROSS JOIN org_interval i
WHERE f.org_id = latest.org_id AND f.year = latest.year
  AND i.org_id = latest.org_id AND i.counted = 1
  AND i.valid_from <= $end AND i.valid_to > $end
GROUP BY i.commune, i.kind, i.sector, f.year;
