-- The club network (issue 15): a server's opt-in directory, requests for a
-- conversation, and members' silent blocks. What these owe members by DM goes through
-- the outbox (0002) in the same transaction.
CREATE TABLE network_listings (
    user_id       INTEGER PRIMARY KEY,
    display_name  TEXT NOT NULL,     -- their name in the server when they joined or edited
    role          TEXT,
    organization  TEXT,
    fields        TEXT NOT NULL DEFAULT '[]',  -- JSON list of field names
    stage         TEXT CHECK (stage IN ('emerging', 'mid-career', 'established')),
    monthly_limit INTEGER NOT NULL DEFAULT 2 CHECK (monthly_limit BETWEEN 1 AND 10),
    share         TEXT NOT NULL DEFAULT 'nothing' CHECK (share IN ('nothing', 'linkedin', 'email')),
    contact       TEXT,              -- the LinkedIn URL or email address shared on accept
    paused        INTEGER NOT NULL DEFAULT 0,
    paused_until  TEXT,              -- NULL while paused: until they resume
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE network_requests (
    id          INTEGER PRIMARY KEY,
    asker_id    INTEGER NOT NULL,
    listed_id   INTEGER NOT NULL,
    asker_name  TEXT NOT NULL,
    listed_name TEXT NOT NULL,
    message     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'accepted', 'declined', 'not-now', 'expired',
                                  'closed', 'undelivered')),
    silent      INTEGER NOT NULL DEFAULT 0,  -- the person listed had blocked the asker
    asked_at    TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    answered_at TEXT
);
CREATE INDEX network_requests_listed ON network_requests (listed_id, asked_at);
CREATE INDEX network_requests_asker ON network_requests (asker_id, status);
-- One open request per pair (lapsed ones are marked expired before a new one goes in).
CREATE UNIQUE INDEX network_requests_open_pair ON network_requests (asker_id, listed_id)
    WHERE status = 'open';

CREATE TABLE network_blocks (
    user_id    INTEGER NOT NULL,   -- who blocked
    blocked_id INTEGER NOT NULL,   -- the asker they never want to hear from
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
);
