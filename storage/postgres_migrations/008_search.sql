-- Search by word stems (see storage/migrations/008_search.sql). The stems are computed in Python
-- (analysis.search) and stored as words separated by spaces; PostgreSQL indexes them word for word, in
-- precis_simple (no stemming, no stop words, accents folded as FTS5's remove_diacritics does), so a stem stored
-- is a stem found. The title's words weigh more than the body's in the ranking (weights A and B). `rowid` is the
-- article id, as in SQLite's FTS5 table, so the repository writes and deletes rows the same way.
CREATE TABLE articles_stems (
    rowid   BIGINT   PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    chat_id BIGINT   NOT NULL,
    title   TEXT     NOT NULL,
    body    TEXT     NOT NULL,
    tsv     TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('precis_simple', title), 'A') || setweight(to_tsvector('precis_simple', body), 'B')
    ) STORED
);
CREATE INDEX articles_stems_tsv ON articles_stems USING gin (tsv);
CREATE INDEX articles_stems_by_chat ON articles_stems (chat_id, rowid DESC);
