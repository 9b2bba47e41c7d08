-- Change counters for the vector indexes each process keeps in memory. A write that adds, replaces or removes a
-- workspace's chunks bumps the workspace's generation and stamps the documents it touched with it, in its own
-- transaction; a search compares the counter with its index's and reloads only the documents whose generation
-- moved. Deleted documents are gone from the list, so no process serves their chunks after the delete commits.
CREATE TABLE knowledge_workspace_state (
    workspace_id TEXT PRIMARY KEY,
    generation BIGINT NOT NULL
);
ALTER TABLE knowledge_documents ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
-- Documents ingested before the counters existed: their chunks are loaded on first use.
UPDATE knowledge_documents SET generation = 1 WHERE chunk_count > 0;
INSERT INTO knowledge_workspace_state (workspace_id, generation)
    SELECT DISTINCT workspace_id, 1 FROM knowledge_documents WHERE generation > 0;
