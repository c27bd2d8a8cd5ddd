-- The organisation list of an area, and of a status few organisations have (suspended,
-- dissolved…), found through their own index instead of every interval before the date.
CREATE INDEX org_interval_commune ON org_interval (commune, valid_from, valid_to);
CREATE INDEX org_interval_status ON org_interval (status, valid_from, valid_to);
