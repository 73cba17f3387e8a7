-- The first schema: chats, articles (raw text first), their analysis, and what the next features need.

CREATE TABLE chats (
    id                INTEGER PRIMARY KEY,           -- Telegram chat id; 0 is the local (CLI/console) chat
    kind              TEXT    NOT NULL DEFAULT 'private',
    title             TEXT,
    lang              TEXT,                           -- reply language; NULL = from the user's Telegram language
    timezone          TEXT    NOT NULL DEFAULT 'UTC',
    summary_sentences INTEGER NOT NULL DEFAULT 3 CHECK (summary_sentences BETWEEN 1 AND 20),
    next_number       INTEGER NOT NULL DEFAULT 1,     -- the number the chat's next article gets
    created_at        TEXT    NOT NULL
);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id       INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,                   -- the article's number as the chat sees it
    content_hash  TEXT    NOT NULL,
    raw_text      TEXT    NOT NULL,
    title         TEXT,
    source_kind   TEXT    NOT NULL,                   -- channel | user | chat | hidden_user | pasted | link | file | cli
    source_name   TEXT,
    source_url    TEXT,
    message_id    INTEGER,
    published_at  TEXT    NOT NULL,                   -- ISO 8601, UTC
    ingested_at   TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    error         TEXT,
    lang          TEXT,
    clean_text    TEXT,
    UNIQUE (chat_id, number),
    UNIQUE (chat_id, content_hash)
);
CREATE INDEX articles_by_chat ON articles (chat_id, id DESC);
CREATE INDEX articles_by_chat_time ON articles (chat_id, ingested_at);
CREATE INDEX articles_unfinished ON articles (status) WHERE status <> 'ready';

-- Every place an article came from: a second channel forwarding the same text adds a row here.
CREATE TABLE article_sources (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    source_kind TEXT    NOT NULL,
    source_name TEXT,
    source_url  TEXT,
    added_at    TEXT    NOT NULL,
    UNIQUE (article_id, source_kind, source_name, source_url)
);

-- Telegram messages that stand for an article (the user's message, the bot's card), for reply commands.
CREATE TABLE message_refs (
    chat_id    INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, message_id)
) WITHOUT ROWID;
CREATE INDEX message_refs_by_article ON message_refs (article_id);

CREATE TABLE sentences (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    paragraph  INTEGER NOT NULL,
    rank       INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;
CREATE INDEX sentences_by_rank ON sentences (article_id, rank);

CREATE TABLE people (
    id      INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    name    TEXT    NOT NULL,
    kind    TEXT    NOT NULL DEFAULT 'person',
    UNIQUE (chat_id, name)
);

-- The normalised keys a person is looked up by ("putin", "vladimir putin", ...).
CREATE TABLE person_keys (
    chat_id   INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    key       TEXT    NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, key, person_id)
) WITHOUT ROWID;
CREATE INDEX person_keys_by_person ON person_keys (person_id);

CREATE TABLE quotes (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    chat_id       INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    person_id     INTEGER REFERENCES people(id) ON DELETE SET NULL,
    speaker       TEXT,
    speaker_kind  TEXT    NOT NULL DEFAULT 'unknown',
    mention       TEXT    NOT NULL,
    text          TEXT    NOT NULL,
    direct        INTEGER NOT NULL,
    cue           TEXT    NOT NULL DEFAULT '',
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    sentence_idx  INTEGER NOT NULL DEFAULT -1,
    score         REAL    NOT NULL DEFAULT 0
);
CREATE INDEX quotes_by_person ON quotes (chat_id, person_id, article_id DESC, start);
CREATE INDEX quotes_by_article ON quotes (article_id, start);

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    chat_id      INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    value        TEXT    NOT NULL,
    granularity  TEXT    NOT NULL,
    sort_key     TEXT    NOT NULL,
    label        TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    speaker      TEXT,
    actors       TEXT    NOT NULL DEFAULT '',         -- names joined by '; '
    sentence_idx INTEGER NOT NULL DEFAULT -1
);
CREATE INDEX events_by_article ON events (article_id, sort_key);
CREATE INDEX events_by_chat ON events (chat_id, sort_key);

-- Full-text search over what the chat stored, for topics (/timeline NATO) and people in text.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body, chat_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE subscriptions (
    id             INTEGER PRIMARY KEY,
    chat_id        INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    schedule       TEXT    NOT NULL,                  -- 'daily 08:00', 'weekly mon 09:00', 'every 6h'
    timezone       TEXT    NOT NULL DEFAULT 'UTC',
    paused         INTEGER NOT NULL DEFAULT 0,
    paused_reason  TEXT,
    created_at     TEXT    NOT NULL
);
CREATE INDEX subscriptions_by_chat ON subscriptions (chat_id);
