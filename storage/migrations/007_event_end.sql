-- A dated event may span a period: "from 1954 to 2000" is one event from 1954 to 2000. Empty: a point.
ALTER TABLE events ADD COLUMN end_value TEXT NOT NULL DEFAULT '';
