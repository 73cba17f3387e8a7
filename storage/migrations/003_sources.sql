-- Articles from links, files and posts cut in parts: who wrote them, how to know them when they come again,
-- and the parts of a series of posts waiting to be joined into one article.

ALTER TABLE articles ADD COLUMN author TEXT;

-- The identity of the cleaned text (boilerplate gone): the same article forwarded from two channels, each with
-- its own signature around it, has one. NULL until the article is analysed, and for texts too short to tell.
ALTER TABLE articles ADD COLUMN clean_hash TEXT;
CREATE UNIQUE INDEX articles_by_clean_hash ON articles (chat_id, clean_hash) WHERE clean_hash IS NOT NULL;

-- Every link an article was fetched from (as asked and after redirects), by its identity key
-- (fetch.urls.canonical_url): the same link sent again is known before anything is fetched.
CREATE TABLE article_urls (
    chat_id    INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    url_key    TEXT    NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, url_key)
) WITHOUT ROWID;
CREATE INDEX article_urls_by_article ON article_urls (article_id);

-- Posts of one series (consecutive posts of a channel, an album) stored raw as they arrive, until the series
-- is complete and joined into one article; whatever a stop left here is joined at the next start.
CREATE TABLE pending_parts (
    id           INTEGER PRIMARY KEY,
    chat_id      INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    group_key    TEXT    NOT NULL,
    message_id   INTEGER NOT NULL,                  -- the message in this chat
    position     INTEGER NOT NULL,                  -- the order of the parts: the channel post's id, or message_id
    text         TEXT,                              -- NULL for a photo of an album without its caption
    links        TEXT    NOT NULL DEFAULT '[]',     -- JSON list of the links in the part, hidden ones included
    source_kind  TEXT    NOT NULL,
    source_name  TEXT,
    source_url   TEXT,
    published_at TEXT,
    received_at  TEXT    NOT NULL,
    UNIQUE (chat_id, message_id)
);
CREATE INDEX pending_parts_by_group ON pending_parts (chat_id, group_key, position);
