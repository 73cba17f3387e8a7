-- People under today's rules for names (the Python step `storage.people.regroup_all` runs after this, in the
-- same transaction): known organisations under one name ("Lib Dem", "Lib Dems" -> "Liberal Democrats"), party
-- and office words out of people's names, no person that is only an ordinary word ("Construction"), and one
-- row per person ("Digby" joins "Digby Jones", "Путин" joins "Владимир Путин"), statements and timeline
-- events following their person. Lookup keys are added for the new names; the old keys still point at the
-- right rows.
--
-- Merging a person renames the speaker of their timeline events, found by chat and name.
CREATE INDEX events_by_speaker ON events (chat_id, speaker);
