-- Mirrors Store::latest_figures_year (src/store/report.rs): the latest year up to the last
-- full year ended by the period end ($last_full_year = $1: 2023 for 2024-H1, as
-- report::figures::build computes it) that has any yearly figures. NULL when none: the
-- report then skips member_figures, and so do the anchors.
SELECT MAX(year) FROM org_figure WHERE year <= $last_full_year;
