-- How many entries hold each term (FTS5's vocabulary, one row per term), so a search can leave out words that are
-- in so many entries that they tell none apart and only make the search slower.
-- sqlite:
CREATE VIRTUAL TABLE text_index_vocab USING fts5vocab(text_index, 'row');
-- postgres:
SELECT 1;
