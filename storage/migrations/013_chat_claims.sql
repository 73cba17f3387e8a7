-- Processes share the work by chat: each update records its chat, and a process claims a chat before it
-- processes that chat's updates, so one chat's updates are processed in order by one process at a time while
-- different chats run in parallel (see bot/inbox.py). A claim is a lease: its holder renews it while it
-- works; a claim whose lease ran out, or whose holder is gone, is taken over by another process.
ALTER TABLE inbox ADD COLUMN chat_id INTEGER NOT NULL DEFAULT 0;  -- 0: an update without a chat
CREATE INDEX inbox_chat_unfinished ON inbox (chat_id, update_id) WHERE done_at IS NULL;

CREATE TABLE chat_claims (
    chat_id     INTEGER PRIMARY KEY,
    claimed_by  TEXT    NOT NULL,                   -- host:pid:random, the process holding the chat
    lease_until TEXT    NOT NULL                    -- ISO time, to the millisecond, in UTC
);
CREATE INDEX chat_claims_holder ON chat_claims (claimed_by);
