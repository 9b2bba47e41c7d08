-- Billing: a workspace's credits. `billing_accounts.balance` is the sum of the workspace's ledger entries and never
-- negative (a reservation takes credits with a conditional update); `entries` counts them, and each entry has the
-- next `seq`, so the ledger is a chain with no gap and no fork (UNIQUE (workspace_id, seq)); it is append-only.
-- A hold is a reservation not yet settled: captured (the credits are spent) or released (given back), once.
-- workspace_id names identity's workspace; no foreign key, since each module owns its tables.
CREATE TABLE billing_accounts (
    workspace_id TEXT PRIMARY KEY,
    balance BIGINT NOT NULL CHECK (balance >= 0),
    entries BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE billing_ledger (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    delta BIGINT NOT NULL,
    balance_after BIGINT NOT NULL CHECK (balance_after >= 0),
    reason TEXT NOT NULL,
    reference TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (workspace_id, seq)
);

-- A grant is made once per (workspace, reason, reference): a monthly allowance's reference is its month, a
-- purchase's the payment, so a retry, or a second process granting the same thing at the same moment, adds nothing.
CREATE TABLE billing_grants (
    workspace_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    reference TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    PRIMARY KEY (workspace_id, reason, reference)
);

CREATE TABLE billing_holds (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    reference TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    settled_at BIGINT
);
CREATE INDEX billing_holds_expiry ON billing_holds (status, expires_at);
