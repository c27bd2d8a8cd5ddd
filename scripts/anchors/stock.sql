-- Mirrors Store::stock (src/store/report.rs): counted organisations by kind, sector and
-- commune on three dates in one pass over org_interval. The Rust binds $1..$5; here they are
-- named: $end = $1 (period end), $baseline = $2 (end of the previous year), $same_end = $3
-- (end of the same period last year), $latest = $4 and $earliest = $5 (the latest and the
-- earliest of the three). Dates are ISO text, compared as text, as in the store.
SELECT kind, sector, commune,
    CAST(SUM(CASE WHEN valid_from <= $end AND valid_to > $end THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN valid_from <= $baseline AND valid_to > $baseline THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN valid_from <= $same_end AND valid_to > $same_end THEN 1 ELSE 0 END) AS BIGINT)
FROM org_interval
WHERE counted = 1 AND valid_from <= $latest AND valid_to > $earliest
GROUP BY kind, sector, commune;
