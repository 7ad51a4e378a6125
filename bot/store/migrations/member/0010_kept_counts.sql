-- How many prospects have each kept status and career stage, kept as prospects change
-- (issue 12): /progress's funnel reads these few rows instead of counting every
-- prospect, which a member with thousands of imported connections would feel.
-- stage is '' for a prospect with none. A row may fall to 0; it is read as absent.
-- "met" and "scheduled" share kept_status 'meeting' (member migration 8): the store
-- splits that one by time, through the prospects_meeting index below.
CREATE TABLE prospect_counts (
    kept_status TEXT NOT NULL,
    stage       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (kept_status, stage)
) WITHOUT ROWID;

CREATE TRIGGER prospect_counted AFTER INSERT ON prospects
BEGIN
    INSERT INTO prospect_counts VALUES (NEW.kept_status, coalesce(NEW.stage, ''), 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER prospect_uncounted AFTER DELETE ON prospects
BEGIN
    UPDATE prospect_counts SET n = n - 1
        WHERE kept_status = OLD.kept_status AND stage = coalesce(OLD.stage, '');
END;

CREATE TRIGGER prospect_recounted AFTER UPDATE OF kept_status, stage ON prospects
WHEN OLD.kept_status IS NOT NEW.kept_status
    OR coalesce(OLD.stage, '') IS NOT coalesce(NEW.stage, '')
BEGIN
    UPDATE prospect_counts SET n = n - 1
        WHERE kept_status = OLD.kept_status AND stage = coalesce(OLD.stage, '');
    INSERT INTO prospect_counts VALUES (NEW.kept_status, coalesce(NEW.stage, ''), 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

INSERT INTO prospect_counts
    SELECT kept_status, coalesce(stage, ''), COUNT(*) FROM prospects GROUP BY 1, 2;

-- Columns most prospects leave empty are indexed only where set, so adding a prospect
-- writes three index pages fewer (/prospect add's commit: about 45 us less). A query on
-- one of these columns (a value, or a range) implies it is set, so still finds them here;
-- an upsert on origin names the same condition.
DROP INDEX prospects_referred_by;
CREATE INDEX prospects_referred_by ON prospects (referred_by) WHERE referred_by IS NOT NULL;
DROP INDEX prospects_origin;
CREATE UNIQUE INDEX prospects_origin ON prospects (origin) WHERE origin IS NOT NULL;
DROP INDEX prospects_open_since;
CREATE INDEX prospects_open_since ON prospects (open_since, id) WHERE open_since IS NOT NULL;

-- With the counts kept, the status index serves only the split of prospects with a
-- meeting into met and scheduled: it holds just those.
DROP INDEX prospects_kept_status;
CREATE INDEX prospects_meeting ON prospects (stage, met_from) WHERE kept_status = 'meeting';

-- Names are looked up by their comparable key (prospects_name_key, member migration 7)
-- and ranked in Python; nothing reads prospects by name in SQL any more, so its index
-- only cost every insert and rename a page.
DROP INDEX prospects_name;
