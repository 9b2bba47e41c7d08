-- Flows: the current state of each flow, and every version as an immutable snapshot (a flow document).
-- workspace_id names identity's workspace; no foreign key, since each module owns its own tables.
CREATE TABLE flows (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    name TEXT NOT NULL,
    name_lower TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL,
    graph TEXT NOT NULL,
    node_count BIGINT NOT NULL,
    edge_count BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at BIGINT,
    deleted_by TEXT
);
CREATE INDEX flows_workspace ON flows (workspace_id, created_at, id);

CREATE TABLE flow_versions (
    flow_id TEXT NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    graph TEXT NOT NULL,
    source TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (flow_id, version)
);
