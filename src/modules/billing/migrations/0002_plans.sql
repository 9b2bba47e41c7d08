-- Plans and Stripe. Part of a workspace's balance is its plan's monthly allowance (`allowance`, of the period
-- `allowance_period`): it is spent first and what is left of it expires when the next period's allowance is
-- granted; purchased and granted credits do not expire. A hold remembers how much of it came from the allowance of
-- which period, so a release gives back allowance only into the period it was taken from.
ALTER TABLE billing_accounts ADD COLUMN allowance BIGINT NOT NULL DEFAULT 0 CHECK (allowance >= 0);
ALTER TABLE billing_accounts ADD COLUMN allowance_period TEXT NOT NULL DEFAULT '';
ALTER TABLE billing_holds ADD COLUMN from_allowance BIGINT NOT NULL DEFAULT 0;
ALTER TABLE billing_holds ADD COLUMN allowance_period TEXT NOT NULL DEFAULT '';

-- A workspace's plan and its Stripe ids (ids only: card data never reaches the server). `subscription_event_at`
-- is the Stripe `created` time of the event that last set the subscription's fields, so an older event delivered
-- later changes nothing.
CREATE TABLE billing_workspaces (
    workspace_id TEXT PRIMARY KEY,
    plan TEXT NOT NULL,
    stripe_customer_id TEXT UNIQUE,
    subscription_id TEXT,
    subscription_status TEXT NOT NULL,
    price_id TEXT NOT NULL,
    current_period_start BIGINT,
    current_period_end BIGINT,
    cancel_at_period_end BIGINT NOT NULL,
    subscription_event_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX billing_workspaces_subscription ON billing_workspaces (subscription_id);

-- Each Stripe event is handled once: its id is claimed in the transaction that applies it.
CREATE TABLE billing_stripe_events (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    created BIGINT NOT NULL,
    workspace_id TEXT,
    outcome TEXT NOT NULL,
    received_at BIGINT NOT NULL
);

-- Invoices as Stripe last described them (`event_at` orders the events, as above).
CREATE TABLE billing_invoices (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    period_start BIGINT,
    period_end BIGINT,
    hosted_invoice_url TEXT,
    created_at BIGINT NOT NULL,
    event_at BIGINT NOT NULL
);
CREATE INDEX billing_invoices_workspace ON billing_invoices (workspace_id, created_at);
