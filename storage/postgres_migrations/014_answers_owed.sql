-- Answers owed to arrivals of an article the chat already has (see storage/migrations/014_answers_owed.sql).
CREATE TABLE answers_owed (
    chat_id    BIGINT  NOT NULL,
    message_id BIGINT  NOT NULL,
    article_id BIGINT  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX answers_owed_article ON answers_owed (article_id);
