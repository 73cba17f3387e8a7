-- Feeds a chat follows (RSS, Atom, JSON Feed), polled on a schedule kept here, so the polling jobs are rebuilt
-- from the database at every start; and the items each feed has shown, so an item becomes an article once.

CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    chat_id       INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    url           TEXT    NOT NULL,                 -- the feed itself (after discovery from a site's page)
    page_url      TEXT,                             -- the page the user gave, when it advertised the feed
    host          TEXT    NOT NULL,                 -- the site, for the per-site pace
    title         TEXT,
    kind          TEXT,                             -- rss | atom | json, once read
    etag          TEXT,                             -- validators for the next conditional request
    last_modified TEXT,
    state         TEXT    NOT NULL DEFAULT 'ok'
                          CHECK (state IN ('ok', 'failing', 'malformed', 'paused')),
    error         TEXT,                             -- the last failure, as a short reason
    failures      INTEGER NOT NULL DEFAULT 0,       -- failures in a row (the backoff grows with them)
    gone          INTEGER NOT NULL DEFAULT 0,       -- 404/410 answers in a row (paused after a few)
    next_poll_at  TEXT    NOT NULL,
    last_poll_at  TEXT,
    last_item_at  TEXT,                             -- when an item last became an article
    articles      INTEGER NOT NULL DEFAULT 0,       -- articles it brought
    created_at    TEXT    NOT NULL,
    UNIQUE (chat_id, url)
);
CREATE INDEX feeds_due ON feeds (next_poll_at) WHERE state <> 'paused';

CREATE TABLE feed_items (
    feed_id    INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    item_key   TEXT    NOT NULL,                    -- the item's id/guid, else its link, else a content hash
    article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    seen_at    TEXT    NOT NULL,
    PRIMARY KEY (feed_id, item_key)
) WITHOUT ROWID;
CREATE INDEX feed_items_by_article ON feed_items (article_id) WHERE article_id IS NOT NULL;
