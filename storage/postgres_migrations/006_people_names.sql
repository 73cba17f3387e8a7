-- People under today's rules for names (see storage/migrations/006_people_names.sql; the Python step
-- `storage.people.regroup_all` runs after this, in the same transaction).
CREATE INDEX events_by_speaker ON events (chat_id, speaker);
