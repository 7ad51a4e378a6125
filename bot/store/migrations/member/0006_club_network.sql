-- migrate: foreign_keys off
-- The club network (issue 15). What a server's network and practice rounds owe a member
-- arrives in the member's own store, handed over from the server's outbox
-- (bot/store/guild.py, Stores.hand_over), so it is timed and delivered like any reminder.
--   prospects.source  gains 'network': someone introduced through a server's network
--   prospects.origin  what handed the prospect over (unique: handed over once, ever)
--   reminders         five more kinds, about a server's request or practice pair:
--     network-ask         to the person listed: a member asks for a conversation
--     network-answer      to the asker: how it went (step 0), or no answer in 7 days (1)
--     network-intro       to the person listed, once they accepted: who the asker is
--     practice-intro      to each member of a practice pair: who, and a short guide
--     practice-checkback  near the round's end: did you meet?
--                   server_id, subject: the server and its request's or pair's id
--                   origin: what handed the row over (unique, as for prospects)
-- SQLite can't change CHECK constraints, so both tables are rebuilt as its docs
-- describe (https://www.sqlite.org/lang_altertable.html#otheralter), with foreign keys
-- off for this migration (the first line asks the runner): dropping `prospects` with
-- them on would delete every outreach and meeting row that refers to it. The runner
-- checks the foreign keys (PRAGMA foreign_key_check) before it commits.
CREATE TABLE prospects_new (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT,
    organization TEXT,
    stage        TEXT CHECK (stage IN ('emerging', 'mid-career', 'established')),
    linkedin     TEXT,
    email        TEXT,
    source       TEXT CHECK (source IN ('alumni', 'linkedin', 'referral', 'event', 'posting',
                                        'other', 'network')),
    notes        TEXT,
    referred_by  INTEGER REFERENCES prospects (id) ON DELETE SET NULL,
    connected_on TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    origin       TEXT
);
INSERT INTO prospects_new (id, name, role, organization, stage, linkedin, email, source,
                           notes, referred_by, connected_on, created_at, updated_at)
SELECT id, name, role, organization, stage, linkedin, email, source, notes, referred_by,
       connected_on, created_at, updated_at
FROM prospects;
DROP TABLE prospects;
ALTER TABLE prospects_new RENAME TO prospects;
CREATE INDEX prospects_name ON prospects (name COLLATE NOCASE);
CREATE INDEX prospects_referred_by ON prospects (referred_by);
CREATE UNIQUE INDEX prospects_origin ON prospects (origin);

CREATE TABLE reminders_new (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('prep', 'thanks', 'followup-3', 'followup-7',
                                               'checkin', 'referrer', 'digest',
                                               'network-ask', 'network-answer',
                                               'network-intro', 'practice-intro',
                                               'practice-checkback')),
    meeting_id   INTEGER REFERENCES meetings (id) ON DELETE CASCADE,
    outreach_id  INTEGER REFERENCES outreach (id) ON DELETE CASCADE,
    step         INTEGER NOT NULL DEFAULT 0,
    due_at       TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'sending', 'sent', 'dm_closed', 'dismissed', 'cancelled')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    message_id   INTEGER,
    late         INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    tried_at     TEXT,
    tried_prints TEXT,
    held_from    TEXT,
    server_id    INTEGER,
    subject      INTEGER,
    origin       TEXT,
    CHECK (CASE
        WHEN kind = 'digest' THEN meeting_id IS NULL AND outreach_id IS NULL
                                  AND server_id IS NULL
        WHEN kind LIKE 'network-%' OR kind LIKE 'practice-%'
            THEN meeting_id IS NULL AND outreach_id IS NULL
                 AND server_id IS NOT NULL AND subject IS NOT NULL
        ELSE (meeting_id IS NULL) <> (outreach_id IS NULL) AND server_id IS NULL END)
);
INSERT INTO reminders_new (id, kind, meeting_id, outreach_id, step, due_at, state, attempts,
                           message_id, late, last_error, created_at, updated_at, tried_at,
                           tried_prints, held_from)
SELECT id, kind, meeting_id, outreach_id, step, due_at, state, attempts, message_id, late,
       last_error, created_at, updated_at, tried_at, tried_prints, held_from
FROM reminders;
DROP TABLE reminders;
ALTER TABLE reminders_new RENAME TO reminders;
CREATE INDEX reminders_due ON reminders (state, due_at);
CREATE INDEX reminders_meeting ON reminders (meeting_id);
CREATE INDEX reminders_outreach ON reminders (outreach_id);
CREATE INDEX reminders_subject ON reminders (server_id, subject);
CREATE UNIQUE INDEX reminders_origin ON reminders (origin);
