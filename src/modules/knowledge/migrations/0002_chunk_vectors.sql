-- A chunk's vector for search by meaning (float32, little-endian) and the provider/model that made it: vectors of
-- another model are not compared with a query's, and are made again when the provider changes.
-- sqlite:
ALTER TABLE knowledge_chunks ADD COLUMN embedding BLOB;
-- postgres:
ALTER TABLE knowledge_chunks ADD COLUMN embedding BYTEA;
-- both:
ALTER TABLE knowledge_chunks ADD COLUMN embedding_model TEXT NOT NULL DEFAULT '';
CREATE INDEX knowledge_chunks_model ON knowledge_chunks (workspace_id, embedding_model);
