-- A server's shared store: its question bank and anonymous activity counters.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE questions (
    id         INTEGER PRIMARY KEY,
    text       TEXT NOT NULL,
    category   TEXT NOT NULL
               CHECK (category IN ('trends', 'insights', 'advice', 'resources', 'assignments', 'other')),
    author_id  INTEGER,          -- NULL for the seeded default questions
    starter    INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE votes (
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (question_id, user_id)
);

-- Monthly counts for /club stats; nothing here names a member.
CREATE TABLE stats (
    month  TEXT NOT NULL,            -- YYYY-MM (UTC)
    metric TEXT NOT NULL,
    count  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, metric)
);

-- Active members per month, kept only as salted hashes so they can be counted, not named.
CREATE TABLE active_members (
    month       TEXT NOT NULL,
    member_hash TEXT NOT NULL,
    PRIMARY KEY (month, member_hash)
);
