-- Digests about something: a subscription may carry a filter (topics, people, exclusions; JSON of the words the
-- user typed, matched by stems and by people's names, never as a pattern). A filtered subscription reads the
-- chat's articles at its own pace: it keeps its own watermark, so what it leaves out still reaches the chat's
-- other subscriptions. The claim of a filtered digest names its subscription, whose watermark it moves.

ALTER TABLE subscriptions ADD COLUMN filter TEXT;        -- NULL: every article (the chat's shared stream)
ALTER TABLE subscriptions ADD COLUMN watermark INTEGER;  -- a filtered subscription's last article covered
ALTER TABLE digests ADD COLUMN subscription_id INTEGER;  -- the filtered subscription a digest serves (NULL: the chat's)

DROP INDEX subscriptions_one_per_schedule;
CREATE UNIQUE INDEX subscriptions_one_per_schedule ON subscriptions (
    chat_id, kind, ifnull(at_minute, -1), ifnull(weekday, -1), ifnull(every_hours, -1), ifnull(filter, '')
);
