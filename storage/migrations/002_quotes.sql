-- Who said what, at archive scale (/quotes NAME, /people).
--
-- Each person carries the number of statements attributed to them, kept by triggers on quotes (they fire for
-- cascaded deletes too), so /people and the /quotes headers read a number instead of counting rows.
-- The statement index leads with person_id: a person row belongs to one chat, so (chat_id, person_id) said
-- nothing more, and foreign-key actions on people (ON DELETE SET NULL) need person_id first or scan every quote.

ALTER TABLE people ADD COLUMN quote_count INTEGER NOT NULL DEFAULT 0;

DROP INDEX quotes_by_person;
CREATE INDEX quotes_by_person ON quotes (person_id, article_id DESC, start, chat_id);

UPDATE people SET quote_count = (SELECT count(*) FROM quotes q WHERE q.person_id = people.id);

CREATE INDEX people_by_quote_count ON people (chat_id, quote_count DESC, name);

CREATE TRIGGER quotes_count_insert AFTER INSERT ON quotes WHEN new.person_id IS NOT NULL
BEGIN
    UPDATE people SET quote_count = quote_count + 1 WHERE id = new.person_id;
END;

CREATE TRIGGER quotes_count_delete AFTER DELETE ON quotes WHEN old.person_id IS NOT NULL
BEGIN
    UPDATE people SET quote_count = quote_count - 1 WHERE id = old.person_id;
END;

CREATE TRIGGER quotes_count_update AFTER UPDATE OF person_id ON quotes
WHEN old.person_id IS NOT new.person_id
BEGIN
    UPDATE people SET quote_count = quote_count - 1 WHERE id = old.person_id;
    UPDATE people SET quote_count = quote_count + 1 WHERE id = new.person_id;
END;
