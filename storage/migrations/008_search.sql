-- Search by word stems: every word of an article's title and text reduced to its stem (analysis.search), so a
-- word matches in every case form ("Украина", "Украины", "Украину"). Kept beside articles_fts, which still
-- holds the words as written for names matched as phrases. Articles stored before this migration are indexed
-- at the next start (their stems are computed in Python, which SQL cannot do).
CREATE VIRTUAL TABLE articles_stems USING fts5 (
    title, body, chat_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
