-- Mirrors Store::flows (src/store/report.rs): establishments, cessations and exits between two
-- dates (inclusive), grouped by the kind, sector and commune in force on the event's date.
-- $start = $1 and $stop = $2 of the Rust (the period's first and last day); the IN list is
-- its FLOW_EVENTS constant.
SELECT e.kind, i.kind, i.sector, i.commune, CAST(COUNT(*) AS BIGINT)
FROM org_event e
JOIN org_interval i ON i.org_id = e.org_id
     AND i.valid_from <= e.effective_date AND i.valid_to > e.effective_date
WHERE e.effective_date >= $start AND e.effective_date <= $stop
  AND e.kind IN ('established', 'ceased', 'dissolved', 'bankrupt', 'revoked',
                 'converted', 'merged', 'absorbed', 'split')
GROUP BY e.kind, i.kind, i.sector, i.commune;
