-- Knowledge: a workspace's documents as uploaded, and their chunks (text, language, and later their vectors).
-- Chunks are indexed for keyword search in the platform's text index (name 'knowledge', scope the workspace,
-- group the document). workspace_id names identity's workspace; no foreign key, since each module owns its tables.
CREATE TABLE knowledge_documents (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    title TEXT NOT NULL,
    content_type TEXT NOT NULL,
-- sqlite:
    content BLOB NOT NULL,
-- postgres:
    content BYTEA NOT NULL,
-- both:
    size_bytes BIGINT NOT NULL,
    status TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    chunk_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX knowledge_documents_workspace ON knowledge_documents (workspace_id, created_at, id);

CREATE TABLE knowledge_chunks (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    language TEXT NOT NULL,
    words BIGINT NOT NULL
);
CREATE INDEX knowledge_chunks_document ON knowledge_chunks (document_id, ordinal);
CREATE INDEX knowledge_chunks_workspace ON knowledge_chunks (workspace_id);
