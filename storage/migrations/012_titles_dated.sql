-- Every article has one title, and an article knows whether its date is a publication date.

-- 1: the title is a guess (the headline or the first words of the text, computed when it was stored); the
-- analysis replaces it with its own once it has cleaned the text. 0: declared by a page or a file, kept.
ALTER TABLE articles ADD COLUMN title_guessed INTEGER NOT NULL DEFAULT 0 CHECK (title_guessed IN (0, 1));
-- 0: nothing said when the text was published (pasted text or a file without a date line), so published_at is
-- only when it arrived and relative dates in it ("yesterday", "5 May") are not resolved against it.
ALTER TABLE articles ADD COLUMN dated INTEGER NOT NULL DEFAULT 1 CHECK (dated IN (0, 1));

-- Articles stored without a title get their first words, as analysis.titles.first_words cuts them: the first
-- line, up to 60 characters, cut after a whole word with "…".
UPDATE articles SET title_guessed = 1, title = (
    WITH RECURSIVE
        src(line) AS (
            SELECT trim(substr(body, 1, instr(body || char(10), char(10)) - 1))
            FROM (SELECT ltrim(COALESCE(clean_text, raw_text), ' ' || char(9) || char(10) || char(13)) AS body)
        ),
        cut(n) AS (SELECT 61 UNION ALL SELECT n - 1 FROM cut, src WHERE n > 20 AND substr(line, n, 1) <> ' ')
    SELECT CASE
        WHEN line = '' THEN NULL
        WHEN length(line) <= 60 THEN line
        WHEN (SELECT min(n) FROM cut) > 20
            THEN rtrim(substr(line, 1, (SELECT min(n) FROM cut) - 1), ' ,;:.—–-') || '…'
        ELSE substr(line, 1, 60) || '…'
    END
    FROM src
)
WHERE title IS NULL OR trim(title) = '';
