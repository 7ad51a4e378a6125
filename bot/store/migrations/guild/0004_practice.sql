-- Practice pairings (issue 15, item 3): who opted in, the officers' schedule, the rounds
-- and their pairs. What a round owes members (an introduction, a check-back) goes out
-- through the outbox, posted in the round's own transaction.

-- Members who opted in. paused_at set: paused, until paused_until (NULL: until they
-- join again). display_name: what their partners are told to look for in the server.
CREATE TABLE practice_members (
    user_id      INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL,
    joined_at    TEXT NOT NULL,
    paused_at    TEXT,
    paused_until TEXT
);

-- The server's one schedule: every 1, 2 or 4 weeks, a weekday at an hour in the zone of
-- the officer who set it. next_round_at NULL: paused (set the schedule again to resume).
-- A round is created and next_round_at advanced in one transaction, so it runs once.
CREATE TABLE practice_schedule (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    every_weeks   INTEGER NOT NULL CHECK (every_weeks IN (1, 2, 4)),
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    hour          INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    timezone      TEXT NOT NULL,
    next_round_at TEXT,
    updated_at    TEXT NOT NULL
);

CREATE TABLE practice_rounds (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL,
    checkback_at TEXT NOT NULL,
    scheduled    INTEGER NOT NULL  -- 1: the schedule's round; 0: /club practice now
);

CREATE TABLE practice_pairs (
    id       INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES practice_rounds (id) ON DELETE CASCADE,
    met_at   TEXT                  -- the first "We met" (counted once in /club stats)
);
CREATE INDEX practice_pairs_round ON practice_pairs (round_id);

-- Who is in each pair (two, or three for a trio), with what they answered the check-back.
CREATE TABLE practice_pair_members (
    pair_id      INTEGER NOT NULL REFERENCES practice_pairs (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    display_name TEXT NOT NULL,
    answer       TEXT CHECK (answer IN ('met', 'not_yet', 'skip')),
    answered_at  TEXT,
    dms_closed   INTEGER NOT NULL DEFAULT 0,  -- their introduction couldn't be delivered
    PRIMARY KEY (pair_id, user_id)
);
CREATE INDEX practice_pair_members_user ON practice_pair_members (user_id);
