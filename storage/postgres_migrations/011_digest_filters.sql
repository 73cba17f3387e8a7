-- Digests about something: a subscription's filter and its own watermark, and the subscription a digest serves
-- (see storage/migrations/011_digest_filters.sql).

ALTER TABLE subscriptions ADD COLUMN filter TEXT;
ALTER TABLE subscriptions ADD COLUMN watermark BIGINT;
ALTER TABLE digests ADD COLUMN subscription_id BIGINT;

DROP INDEX subscriptions_one_per_schedule;
CREATE UNIQUE INDEX subscriptions_one_per_schedule ON subscriptions (
    chat_id, kind, coalesce(at_minute, -1), coalesce(weekday, -1), coalesce(every_hours, -1), coalesce(filter, '')
);
