-- Channels and groups the bot is in, and the chat a private chat works on (see storage/migrations/010_channels.sql).
-- A group that becomes a supergroup moves every row of its old id to the new one in one transaction: the
-- references to chats are made deferrable, so they are checked at the commit, when every row has moved (as
-- SQLite's defer_foreign_keys does).

ALTER TABLE chats ADD COLUMN member_status TEXT COLLATE "C";
ALTER TABLE chats ADD COLUMN added_by BIGINT;

CREATE TABLE chat_targets (
    chat_id   BIGINT NOT NULL PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE,
    target_id BIGINT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    set_at    TEXT   COLLATE "C" NOT NULL
);
CREATE INDEX chat_targets_by_target ON chat_targets (target_id);

DO $$
DECLARE
    fk record;
BEGIN
    FOR fk IN
        SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
        WHERE contype = 'f' AND confrelid = 'chats'::regclass
    LOOP
        EXECUTE format('ALTER TABLE %s ALTER CONSTRAINT %I DEFERRABLE INITIALLY IMMEDIATE', fk.tbl, fk.conname);
    END LOOP;
END
$$;
