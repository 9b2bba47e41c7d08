-- AI generation. A generation is one request to make a flow (kind `create`) or to change one (kind `refine`, a chat
-- message): its credits are reserved in the transaction that inserts it (hold_id), and it ends in one transaction
-- that saves the flow version and captures them, or records the failure and releases them. `status` moves
-- queued -> running -> succeeded | failed | cancelled and never back; every final update is conditional on the
-- status not being final yet, so a cancellation and a completion racing each other cannot both win.
-- workspace_id, flow_id and created_by name other modules' rows; no foreign keys, each module owns its tables.
CREATE TABLE ai_generations (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    prompt TEXT NOT NULL,
    locale TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    use_knowledge INTEGER NOT NULL,
    flow_id TEXT,
    base_version BIGINT,
    version BIGINT,
    credits BIGINT NOT NULL,
    credits_charged BIGINT NOT NULL DEFAULT 0,
    hold_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    result TEXT,
    ops TEXT,
    preview TEXT,
    applied_version BIGINT,
    diagnostics TEXT NOT NULL DEFAULT '[]',
    error_code TEXT,
    error TEXT,
    input_tokens BIGINT NOT NULL DEFAULT 0,
    output_tokens BIGINT NOT NULL DEFAULT 0,
    repairs BIGINT NOT NULL DEFAULT 0,
    rating INTEGER,
    feedback TEXT,
    rated_at BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT
);
CREATE INDEX ai_generations_workspace ON ai_generations (workspace_id, created_at);
CREATE INDEX ai_generations_flow ON ai_generations (flow_id, created_at);
CREATE INDEX ai_generations_rated ON ai_generations (workspace_id, rating);

-- The conversation about a flow: a person's message and the assistant's answer, each naming its generation.
CREATE TABLE ai_messages (
    id TEXT PRIMARY KEY,
    flow_id TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    generation_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (flow_id, seq)
);

-- A workspace's own provider key (owners and admins set it), sealed with the server's secret key.
CREATE TABLE ai_workspace_providers (
    workspace_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    api_key_sealed TEXT NOT NULL,
    model TEXT NOT NULL,
    base_url TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, provider)
);
