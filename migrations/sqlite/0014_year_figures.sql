-- Yearly figures every kind reports (THT as well as HTX, LHHTX and QTDND): seasonal workers
-- (lao động thời vụ) beside the regular ones, and operating capital (vốn hoạt động) beside the
-- charter capital. NULL is "no figure", never 0.
ALTER TABLE org_figure ADD COLUMN seasonal_workers INTEGER;
ALTER TABLE org_figure ADD COLUMN operating_capital INTEGER;
