-- Updates by chat, and chats claimed by processes with leases (see storage/migrations/013_chat_claims.sql).
ALTER TABLE inbox ADD COLUMN chat_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX inbox_chat_unfinished ON inbox (chat_id, update_id) WHERE done_at IS NULL;

CREATE TABLE chat_claims (
    chat_id     BIGINT  PRIMARY KEY,
    claimed_by  TEXT    COLLATE "C" NOT NULL,
    lease_until TEXT    COLLATE "C" NOT NULL
);
CREATE INDEX chat_claims_holder ON chat_claims (claimed_by);
