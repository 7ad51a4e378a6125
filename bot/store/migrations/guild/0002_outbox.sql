-- The club network (issue 15): what a server owes its members, on its way to them.
-- A row is written in the same transaction as what caused it (a request, an answer, a
-- practice round), then handed over to the member's own store (Stores.hand_over) as a
-- reminder (or, for 'prospect', a new prospect) and deleted here. `origin` names the
-- cause; the member's store keeps it unique, so a row handed over twice (a crash between
-- the two stores) still arrives once.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    kind       TEXT NOT NULL,     -- a reminder kind, or 'prospect'
    subject    INTEGER NOT NULL,  -- the request's or practice pair's id
    step       INTEGER NOT NULL DEFAULT 0,
    due_at     TEXT NOT NULL,
    origin     TEXT NOT NULL UNIQUE,
    payload    TEXT,              -- JSON: for 'prospect', the new prospect's fields
    created_at TEXT NOT NULL
);
CREATE INDEX outbox_user ON outbox (user_id);
