-- Each prospect's name as the bot compares names (case, accents, emoji and spacing
-- ignored: bot.domain.names.comparable_name, which the store registers on its
-- connection as comparable_name()), kept beside the name so /prospect add finds a
-- namesake through an index instead of reading and folding every name (issue 12).
-- The store's connection keeps it current (temporary triggers, bot/store/pool.py); a
-- row written by another tool has none, and is compared by its name as before.
ALTER TABLE prospects ADD COLUMN name_key TEXT;
UPDATE prospects SET name_key = comparable_name(name);
CREATE INDEX prospects_name_key ON prospects (name_key);

-- /prospect list shows the newest first a page at a time: read in that order from an
-- index, not by sorting every prospect for each page. Each prospect's latest request
-- (open requests, /progress) is found the same way.
CREATE INDEX prospects_created ON prospects (created_at, id);
CREATE INDEX outreach_latest ON outreach (prospect_id, sent_at, id);
DROP INDEX outreach_prospect;  -- the first column of outreach_latest serves its lookups
