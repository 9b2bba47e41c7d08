-- A version's graph is stored packed: zstd-compressed JSON in `packed`, `format` 'zstd+json' (about 8x smaller
-- than the text, so each write puts less into the WAL and the history takes less disk). Versions written before
-- keep their text in `graph`, `format` 'json'; readers take either. The flow row no longer repeats its current
-- graph: it is its current version's.
ALTER TABLE flow_versions ADD COLUMN format TEXT NOT NULL DEFAULT 'json';
-- sqlite:
ALTER TABLE flow_versions ADD COLUMN packed BLOB;
-- postgres:
ALTER TABLE flow_versions ADD COLUMN packed BYTEA;
-- both:
ALTER TABLE flows DROP COLUMN graph;
