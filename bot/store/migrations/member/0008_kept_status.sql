-- Each prospect's status, kept as its records change (issue 12): /progress counts 500
-- prospects through an index instead of deriving 500 statuses from their meetings and
-- requests each time, and /prospect list status:… filters the same way.
--
-- A status follows from the prospect's records, most advanced first:
--   thanked     a meeting was thanked
--   met         a meeting not cancelled was marked done or has started
--   scheduled   a meeting not cancelled is still ahead
--   replied     a request was answered
--   contacted   a request was sent
--   to-contact  none of these
-- "met" depends on the time as well, so what is kept is the rest: kept_status says
-- 'meeting' for a prospect with a meeting not cancelled (and not thanked), and met_from
-- when the earliest of those counts as met ('' if one was marked done). The store reads
-- the status as met when met_from <= now, scheduled otherwise (bot/store/prospects.py).
ALTER TABLE prospects ADD COLUMN kept_status TEXT NOT NULL DEFAULT 'to-contact';
ALTER TABLE prospects ADD COLUMN met_from TEXT;

-- The one place the rules above are written: inserting a prospect's id into this view
-- recomputes its kept status (SQLite has no procedures; the triggers below call this).
CREATE VIEW prospect_status_refresh AS SELECT id AS prospect_id FROM prospects WHERE 0;
CREATE TRIGGER prospect_status_refresh INSTEAD OF INSERT ON prospect_status_refresh
BEGIN
    UPDATE prospects SET
        kept_status = CASE
            WHEN EXISTS (SELECT 1 FROM meetings m WHERE m.prospect_id = NEW.prospect_id
                         AND m.thanked_at IS NOT NULL) THEN 'thanked'
            WHEN EXISTS (SELECT 1 FROM meetings m WHERE m.prospect_id = NEW.prospect_id
                         AND m.cancelled_at IS NULL) THEN 'meeting'
            WHEN EXISTS (SELECT 1 FROM outreach o WHERE o.prospect_id = NEW.prospect_id
                         AND o.outcome IS NOT NULL) THEN 'replied'
            WHEN EXISTS (SELECT 1 FROM outreach o WHERE o.prospect_id = NEW.prospect_id)
                THEN 'contacted'
            ELSE 'to-contact'
        END,
        met_from = (SELECT MIN(CASE WHEN m.done = 1 THEN '' ELSE m.starts_at END)
                    FROM meetings m
                    WHERE m.prospect_id = NEW.prospect_id AND m.cancelled_at IS NULL)
    WHERE id = NEW.prospect_id;
END;

CREATE TRIGGER meeting_added_status AFTER INSERT ON meetings
BEGIN INSERT INTO prospect_status_refresh VALUES (NEW.prospect_id); END;
CREATE TRIGGER meeting_changed_status
AFTER UPDATE OF prospect_id, starts_at, done, cancelled_at, thanked_at ON meetings
BEGIN
    INSERT INTO prospect_status_refresh VALUES (NEW.prospect_id);
    INSERT INTO prospect_status_refresh SELECT OLD.prospect_id
        WHERE OLD.prospect_id IS NOT NEW.prospect_id;
END;
CREATE TRIGGER meeting_removed_status AFTER DELETE ON meetings
BEGIN INSERT INTO prospect_status_refresh VALUES (OLD.prospect_id); END;

CREATE TRIGGER outreach_added_status AFTER INSERT ON outreach
BEGIN INSERT INTO prospect_status_refresh VALUES (NEW.prospect_id); END;
CREATE TRIGGER outreach_changed_status AFTER UPDATE OF prospect_id, outcome ON outreach
BEGIN
    INSERT INTO prospect_status_refresh VALUES (NEW.prospect_id);
    INSERT INTO prospect_status_refresh SELECT OLD.prospect_id
        WHERE OLD.prospect_id IS NOT NEW.prospect_id;
END;
CREATE TRIGGER outreach_removed_status AFTER DELETE ON outreach
BEGIN INSERT INTO prospect_status_refresh VALUES (OLD.prospect_id); END;

INSERT INTO prospect_status_refresh SELECT id FROM prospects;

CREATE INDEX prospects_kept_status ON prospects (kept_status, stage, met_from);
CREATE INDEX prospects_kept_created ON prospects (kept_status, created_at, id);
