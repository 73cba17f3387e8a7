-- Channels and groups the bot is in: its own standing in each chat (from my_chat_member) and who put it there,
-- and the chat a private chat's commands apply to after `/use @channel` (checked against its administrators).

ALTER TABLE chats ADD COLUMN member_status TEXT;    -- creator | administrator | member | restricted | left | kicked
ALTER TABLE chats ADD COLUMN added_by INTEGER;      -- the user who last added or promoted the bot there

CREATE TABLE chat_targets (
    chat_id   INTEGER PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE,  -- the private chat
    target_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,     -- the channel or group it works on
    set_at    TEXT    NOT NULL
);
CREATE INDEX chat_targets_by_target ON chat_targets (target_id);
