-- The update inbox (see storage/migrations/005_inbox.sql).
CREATE TABLE inbox (
    update_id   BIGINT  PRIMARY KEY,
    body        TEXT    NOT NULL,
    received_at TEXT    COLLATE "C" NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    done_at     TEXT    COLLATE "C"
);
CREATE INDEX inbox_unfinished ON inbox (update_id) WHERE done_at IS NULL;
CREATE INDEX inbox_done ON inbox (done_at) WHERE done_at IS NOT NULL;

ALTER TABLE articles ADD COLUMN awaiting_answer INTEGER NOT NULL DEFAULT 0 CHECK (awaiting_answer IN (0, 1));
CREATE INDEX articles_awaiting_answer ON articles (id) WHERE awaiting_answer = 1;
