-- Keeping in touch and the weekly digest (issue 11): three more kinds of reminder.
--   checkin   weeks after a thank-you, a nudge to write to them again (about a meeting)
--   referrer  after thanking someone who was referred, a nudge to tell the person who
--             referred them how it went (about that meeting)
--   digest    the opt-in weekly digest: about the member's whole pipeline, so the one
--             kind that names neither a meeting nor a request
-- SQLite can't change a table's CHECK constraints, so the table is rebuilt as its docs
-- describe (https://www.sqlite.org/lang_altertable.html#otheralter): a new table, the
-- rows copied, the old one dropped, the new one renamed. No other table refers to
-- reminders, and the temporary triggers on it are created after migrations run.
CREATE TABLE reminders_new (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('prep', 'thanks', 'followup-3', 'followup-7',
                                               'checkin', 'referrer', 'digest')),
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
    CHECK (CASE WHEN kind = 'digest' THEN meeting_id IS NULL AND outreach_id IS NULL
                ELSE (meeting_id IS NULL) <> (outreach_id IS NULL) END)
);
INSERT INTO reminders_new (id, kind, meeting_id, outreach_id, step, due_at, state, attempts,
                           message_id, late, last_error, created_at, updated_at, tried_at,
                           tried_prints)
SELECT id, kind, meeting_id, outreach_id, step, due_at, state, attempts, message_id, late,
       last_error, created_at, updated_at, tried_at, tried_prints
FROM reminders;
DROP TABLE reminders;
ALTER TABLE reminders_new RENAME TO reminders;
CREATE INDEX reminders_due ON reminders (state, due_at);
CREATE INDEX reminders_meeting ON reminders (meeting_id);
CREATE INDEX reminders_outreach ON reminders (outreach_id);
