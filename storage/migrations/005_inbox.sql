-- The update inbox: every update Telegram delivers is committed here before Telegram is told it arrived (the
-- next getUpdates offset, or the webhook's 200), and marked done once its handlers finished. An update left
-- unfinished by a stop is processed again at the next start.
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY,
    body        TEXT    NOT NULL,                   -- the update as JSON
    received_at TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,         -- how many starts have processed it again
    done_at     TEXT
);
CREATE INDEX inbox_unfinished ON inbox (update_id) WHERE done_at IS NULL;
CREATE INDEX inbox_done ON inbox (done_at) WHERE done_at IS NOT NULL;

-- 1 while the message an article arrived with still owes its card; 0 once Telegram accepted the card (and for
-- every article stored before this column existed: they were answered then).
ALTER TABLE articles ADD COLUMN awaiting_answer INTEGER NOT NULL DEFAULT 0 CHECK (awaiting_answer IN (0, 1));
CREATE INDEX articles_awaiting_answer ON articles (id) WHERE awaiting_answer = 1;
