-- An arrival of an article the chat already has (the same text, link or story again) owes an answer of its own
-- ("already #N"): recorded in the transaction that records the arrival, deleted once Telegram accepted the
-- answer, so that a stop in between (a kill, or the chat taken over by another process) leaves it owed, not
-- forgotten. The first arrival's answer is owed by `articles.awaiting_answer`.
CREATE TABLE answers_owed (
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX answers_owed_article ON answers_owed (article_id);
