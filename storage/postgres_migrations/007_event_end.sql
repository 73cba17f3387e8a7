-- A dated event may span a period (see storage/migrations/007_event_end.sql).
ALTER TABLE events ADD COLUMN end_value TEXT COLLATE "C" NOT NULL DEFAULT '';
