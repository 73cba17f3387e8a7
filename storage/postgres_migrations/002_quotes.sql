-- Who said what, at archive scale (see storage/migrations/002_quotes.sql).
--
-- people.quote_count is kept by row triggers on quotes. Each one updates the person's row, which locks it until
-- the transaction ends, so concurrent inserts and deletes of one person's quotes queue on that row and the count
-- stays exact under any concurrency.

ALTER TABLE people ADD COLUMN quote_count BIGINT NOT NULL DEFAULT 0;

DROP INDEX quotes_by_person;
CREATE INDEX quotes_by_person ON quotes (person_id, article_id DESC, start, chat_id);

UPDATE people SET quote_count = (SELECT count(*) FROM quotes q WHERE q.person_id = people.id);

CREATE INDEX people_by_quote_count ON people (chat_id, quote_count DESC, name);

CREATE FUNCTION quotes_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.person_id IS NOT NULL THEN
        UPDATE people SET quote_count = quote_count - 1 WHERE id = OLD.person_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.person_id IS NOT NULL THEN
        UPDATE people SET quote_count = quote_count + 1 WHERE id = NEW.person_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER quotes_count_insert AFTER INSERT ON quotes
    FOR EACH ROW WHEN (NEW.person_id IS NOT NULL) EXECUTE FUNCTION quotes_count();
CREATE TRIGGER quotes_count_delete AFTER DELETE ON quotes
    FOR EACH ROW WHEN (OLD.person_id IS NOT NULL) EXECUTE FUNCTION quotes_count();
CREATE TRIGGER quotes_count_update AFTER UPDATE OF person_id ON quotes
    FOR EACH ROW WHEN (OLD.person_id IS DISTINCT FROM NEW.person_id) EXECUTE FUNCTION quotes_count();
