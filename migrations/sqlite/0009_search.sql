-- Substring search over names and codes without reading every organisation: a trigram
-- full-text index kept in step with the organisation table by triggers.

CREATE VIRTUAL TABLE org_search USING fts5(name_folded, reg_code, tokenize = 'trigram');

INSERT INTO org_search (rowid, name_folded, reg_code)
SELECT id, name_folded, reg_code FROM organisation;

CREATE TRIGGER org_search_insert AFTER INSERT ON organisation BEGIN
    INSERT INTO org_search (rowid, name_folded, reg_code)
    VALUES (new.id, new.name_folded, new.reg_code);
END;

CREATE TRIGGER org_search_update AFTER UPDATE OF name_folded, reg_code ON organisation BEGIN
    UPDATE org_search SET name_folded = new.name_folded, reg_code = new.reg_code
    WHERE rowid = new.id;
END;

CREATE TRIGGER org_search_delete AFTER DELETE ON organisation BEGIN
    DELETE FROM org_search WHERE rowid = old.id;
END;
