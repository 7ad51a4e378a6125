-- A member's own store: their settings, prospects, outreach, meetings and reminders.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE prospects (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT,
    organization TEXT,
    stage        TEXT CHECK (stage IN ('emerging', 'mid-career', 'established')),
    linkedin     TEXT,
    email        TEXT,
    source       TEXT CHECK (source IN ('alumni', 'linkedin', 'referral', 'event', 'posting', 'other')),
    notes        TEXT,
    referred_by  INTEGER REFERENCES prospects (id) ON DELETE SET NULL,
    connected_on TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX prospects_name ON prospects (name COLLATE NOCASE);
CREATE INDEX prospects_referred_by ON prospects (referred_by);

CREATE TABLE outreach (
    id          INTEGER PRIMARY KEY,
    prospect_id INTEGER NOT NULL REFERENCES prospects (id) ON DELETE CASCADE,
    sent_at     TEXT NOT NULL,
    via         TEXT,
    outcome     TEXT CHECK (outcome IN ('accepted', 'declined', 'later')),
    replied_at  TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX outreach_prospect ON outreach (prospect_id);

CREATE TABLE meetings (
    id             INTEGER PRIMARY KEY,
    prospect_id    INTEGER NOT NULL REFERENCES prospects (id) ON DELETE CASCADE,
    starts_at      TEXT NOT NULL,
    minutes        INTEGER NOT NULL DEFAULT 30,
    format         TEXT CHECK (format IN ('in-person', 'phone', 'video')),
    place          TEXT,
    takeaways      TEXT,
    done           INTEGER NOT NULL DEFAULT 0,
    cancelled_at   TEXT,
    thanked_at     TEXT,
    thanks_medium  TEXT,
    thanks_skipped INTEGER NOT NULL DEFAULT 0,
    guild_id       INTEGER,
    created_at     TEXT NOT NULL
);
CREATE INDEX meetings_prospect ON meetings (prospect_id);
CREATE INDEX meetings_starts ON meetings (starts_at);

-- Who this meeting's prospect referred the member to.
CREATE TABLE referrals (
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    prospect_id INTEGER NOT NULL REFERENCES prospects (id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, prospect_id)
);

-- The questions the member chose for one meeting (a copy: the bank may change later).
CREATE TABLE meeting_questions (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    category   TEXT,
    PRIMARY KEY (meeting_id, position)
);

-- DMs the bot owes the member. A row and its scheduler job always go together.
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('prep', 'thanks', 'followup-3', 'followup-7')),
    meeting_id  INTEGER REFERENCES meetings (id) ON DELETE CASCADE,
    outreach_id INTEGER REFERENCES outreach (id) ON DELETE CASCADE,
    step        INTEGER NOT NULL DEFAULT 0,
    due_at      TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sending', 'sent', 'dm_closed', 'dismissed', 'cancelled')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    message_id  INTEGER,
    late        INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK ((meeting_id IS NULL) <> (outreach_id IS NULL))
);
CREATE INDEX reminders_due ON reminders (state, due_at);
CREATE INDEX reminders_meeting ON reminders (meeting_id);
CREATE INDEX reminders_outreach ON reminders (outreach_id);

-- One-line notices shown on the member's next command (e.g. "your DMs are closed").
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    key        TEXT UNIQUE,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    shown_at   TEXT
);
