-- The area an issued report covers (a unit id; NULL for reports issued before this column,
-- which covered the deployment's whole area), so that it is shown only to users who may
-- read that area.
ALTER TABLE issued_report ADD COLUMN area TEXT;
