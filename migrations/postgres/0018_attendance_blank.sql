-- Attendances nobody entered are blank, not 0: a figure nobody gave is no figure. Until now a
-- blank was stored as 0 and read as blank, so a stored 0 becomes NULL.
ALTER TABLE activity ALTER COLUMN attendees DROP NOT NULL;
UPDATE activity SET attendees = NULL WHERE attendees = 0;
