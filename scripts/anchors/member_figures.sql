-- Mirrors Store::member_figures (src/store/report.rs): one year's figures summed over the
-- organisations counted on the period end, per commune and kind. $year = $1 (the result of
-- latest_figures_year.sql) and $end = $2 (the period end).
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
    CAST(COUNT(f.average_income) AS BIGINT)
FROM org_figure f
JOIN org_interval i ON i.org_id = f.org_id AND i.counted = 1
     AND i.valid_from <= $end AND i.valid_to > $end
WHERE f.year = $year
GROUP BY i.commune, i.kind;
