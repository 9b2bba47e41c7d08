-- Full-text index of short texts (platform/search): entries of named indexes ("knowledge", "patterns"), each in a
-- scope (a workspace) and a group (a document), holding words the owner normalised (lower-cased, stemmed).
-- sqlite:
CREATE TABLE text_index_rows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    grp TEXT NOT NULL,
    UNIQUE (name, key)
);
CREATE INDEX text_index_rows_grp ON text_index_rows (name, grp);
-- One FTS5 row per entry, with the entry's rowid; `scope` holds one token naming index and scope.
CREATE VIRTUAL TABLE text_index USING fts5(terms, scope, tokenize = 'unicode61 remove_diacritics 0');
-- postgres:
CREATE TABLE text_index_rows (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    grp TEXT NOT NULL,
    terms TSVECTOR NOT NULL,
    length BIGINT NOT NULL,
    UNIQUE (name, key)
);
CREATE INDEX text_index_rows_grp ON text_index_rows (name, grp);
CREATE INDEX text_index_rows_scope ON text_index_rows (name, scope);
CREATE INDEX text_index_rows_terms ON text_index_rows USING GIN (terms);
