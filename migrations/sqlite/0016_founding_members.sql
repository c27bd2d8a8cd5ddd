-- The members an organisation was founded with, derived from its establishment event by the
-- projection (as org_interval is), so that the report's latest-known members find the few
-- organisations that recorded them without reading every event's payload.
ALTER TABLE organisation ADD COLUMN founding_members INTEGER;
UPDATE organisation SET founding_members = (
    SELECT CAST(json_extract(e.payload, '$.founding_members') AS INTEGER)
    FROM org_event e
    WHERE e.org_id = organisation.id AND e.kind = 'established'
      AND e.payload LIKE '%"founding_members"%'
);
CREATE INDEX organisation_founding ON organisation (id) WHERE founding_members IS NOT NULL;
