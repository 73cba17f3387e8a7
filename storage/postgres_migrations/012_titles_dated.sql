-- Every article has one title, and an article knows whether its date is a publication date (see
-- storage/migrations/012_titles_dated.sql).

ALTER TABLE articles ADD COLUMN title_guessed INTEGER NOT NULL DEFAULT 0 CHECK (title_guessed IN (0, 1));
ALTER TABLE articles ADD COLUMN dated INTEGER NOT NULL DEFAULT 1 CHECK (dated IN (0, 1));

-- Articles stored without a title get their first words, as analysis.titles.first_words cuts them: the first
-- line, up to 60 characters, cut after a whole word with "…". The longest start of the line's first 61
-- characters that is followed by a space at position 21 or later is where a whole word ends.
UPDATE articles SET title_guessed = 1, title = (
    SELECT CASE
        WHEN line = '' THEN NULL
        WHEN length(line) <= 60 THEN line
        WHEN substring(left(line, 61) FROM '^(.{20,}) ') IS NOT NULL
            THEN rtrim(substring(left(line, 61) FROM '^(.{20,}) '), ' ,;:.—–-') || '…'
        ELSE left(line, 60) || '…'
    END
    FROM (
        SELECT trim(split_part(ltrim(coalesce(clean_text, raw_text), E' \t\n\r'), E'\n', 1)) AS line
    ) AS src
)
WHERE title IS NULL OR trim(title) = '';
