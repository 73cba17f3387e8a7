-- Digests: schedules, the per-chat watermark, and the claims that make every digest go out exactly once.

-- The first schema's subscriptions table was a sketch that nothing wrote to; it is replaced by a typed one.
DROP INDEX IF EXISTS subscriptions_by_chat;
DROP TABLE subscriptions;

-- A chat's digests form one stream: several schedules only add delivery times, and each article appears in one
-- digest. The watermark is the id of the last article a delivered digest covered (NULL: no digest yet).
ALTER TABLE chats ADD COLUMN digest_watermark INTEGER;
ALTER TABLE chats ADD COLUMN last_digest_at TEXT;
ALTER TABLE chats ADD COLUMN empty_digest INTEGER NOT NULL DEFAULT 0 CHECK (empty_digest IN (0, 1));

CREATE TABLE subscriptions (
    id            INTEGER PRIMARY KEY,
    chat_id       INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('daily', 'weekly', 'every')),
    at_minute     INTEGER CHECK (at_minute BETWEEN 0 AND 1439),   -- local time of day (daily, weekly)
    weekday       INTEGER CHECK (weekday BETWEEN 0 AND 6),         -- Monday = 0 (weekly)
    every_hours   INTEGER CHECK (every_hours BETWEEN 1 AND 24),    -- interval (every)
    next_due_at   TEXT    NOT NULL,                                -- UTC instant of the next scheduled digest
    paused        INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    paused_reason TEXT,                                            -- why deliveries stopped (blocked, chat_not_found)
    paused_at     TEXT,
    created_at    TEXT    NOT NULL,
    CHECK (
        (kind = 'daily' AND at_minute IS NOT NULL AND weekday IS NULL AND every_hours IS NULL)
        OR (kind = 'weekly' AND at_minute IS NOT NULL AND weekday IS NOT NULL AND every_hours IS NULL)
        OR (kind = 'every' AND every_hours IS NOT NULL AND at_minute IS NULL AND weekday IS NULL)
    ),
    CHECK (paused = 0 OR paused_reason IS NOT NULL)
);
-- One subscription per schedule and chat (NULLs are distinct in a plain UNIQUE, hence the expressions).
CREATE UNIQUE INDEX subscriptions_one_per_schedule
    ON subscriptions (chat_id, kind, ifnull(at_minute, -1), ifnull(weekday, -1), ifnull(every_hours, -1));
CREATE INDEX subscriptions_due ON subscriptions (next_due_at) WHERE paused = 0;
CREATE INDEX subscriptions_paused ON subscriptions (chat_id) WHERE paused = 1;

-- One row per digest: claimed before anything is sent, with a lease; the parts as rendered at claim time and the
-- Telegram ids of those accepted so far, so that a run taking over an abandoned claim sends only what is missing.
CREATE TABLE digests (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    trigger         TEXT    NOT NULL CHECK (trigger IN ('schedule', 'command')),
    slot_at         TEXT,                                  -- the scheduled instant it answers (NULL for /digest)
    status          TEXT    NOT NULL DEFAULT 'claimed'
                            CHECK (status IN ('claimed', 'sent', 'abandoned', 'failed')),
    claimed_by      TEXT    NOT NULL,
    claimed_at      TEXT    NOT NULL,
    lease_until     TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 1,
    after_article   INTEGER NOT NULL,                      -- the watermark it starts from (exclusive)
    upto_article    INTEGER NOT NULL,                      -- the last article id it covers (inclusive)
    article_count   INTEGER NOT NULL,
    parts           TEXT    NOT NULL,                      -- JSON list of the message texts
    message_ids     TEXT    NOT NULL DEFAULT '[]',         -- JSON list: Telegram ids of the parts accepted, in order
    finished_at     TEXT,
    error           TEXT,
    CHECK (upto_article >= after_article)
);
-- At most one digest in flight per chat: the claim is this row existing.
CREATE UNIQUE INDEX digests_one_claim_per_chat ON digests (chat_id) WHERE status = 'claimed';
CREATE INDEX digests_by_chat ON digests (chat_id, id DESC);
