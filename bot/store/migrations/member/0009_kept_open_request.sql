-- Each prospect's open request, kept as its records change (issue 12): /progress and the
-- weekly digest count the requests past a 3B7 checkpoint through an index, and read only
-- the few they show, instead of reading every open request and deciding each one.
--
-- A prospect's request is open when it is their latest (by when it was sent) and has no
-- reply, and no meeting with them (not cancelled) followed. open_since is when it was
-- sent, NULL when they have none open. Written by the same refresh as kept_status
-- (member migration 8), which now also runs when a request's sending time changes.
ALTER TABLE prospects ADD COLUMN open_since TEXT;

DROP TRIGGER prospect_status_refresh;
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
                    WHERE m.prospect_id = NEW.prospect_id AND m.cancelled_at IS NULL),
        open_since = CASE
            WHEN EXISTS (SELECT 1 FROM meetings m WHERE m.prospect_id = NEW.prospect_id
                         AND m.cancelled_at IS NULL) THEN NULL
            ELSE (SELECT CASE WHEN o.outcome IS NULL THEN o.sent_at END FROM outreach o
                  WHERE o.prospect_id = NEW.prospect_id
                  ORDER BY o.sent_at DESC, o.id DESC LIMIT 1)
        END
    WHERE id = NEW.prospect_id;
END;

DROP TRIGGER outreach_changed_status;
CREATE TRIGGER outreach_changed_status
AFTER UPDATE OF prospect_id, outcome, sent_at ON outreach
BEGIN
    INSERT INTO prospect_status_refresh VALUES (NEW.prospect_id);
    INSERT INTO prospect_status_refresh SELECT OLD.prospect_id
        WHERE OLD.prospect_id IS NOT NEW.prospect_id;
END;

INSERT INTO prospect_status_refresh SELECT id FROM prospects;

CREATE INDEX prospects_open_since ON prospects (open_since, id);

-- The meetings owing thanks (not cancelled, thanked or skipped), by when each is planned
-- to end, in seconds: the dashboard counts those that have ended, and reads the first few
-- (bot/store/outreach.py writes the same expression, so that it finds them here).
CREATE INDEX meetings_owing_thanks ON meetings (CAST(strftime('%s', starts_at) AS INTEGER) + minutes * 60)
WHERE cancelled_at IS NULL AND thanked_at IS NULL AND thanks_skipped = 0;
