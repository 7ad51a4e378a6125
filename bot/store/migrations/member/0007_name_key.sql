-- Each prospect's name as the bot compares names (case, accents, emoji and spacing
-- ignored: bot.domain.names.comparable_name, which the store registers on its
-- connection as comparable_name()), kept beside the name so /prospect add finds a
-- namesake through an index instead of reading and folding every name (issue 12).
-- The store's connection keeps it current (temporary triggers, bot/store/pool.py); a
-- row written by another tool has none, and is compared by its name as before.
ALTER TABLE prospects ADD COLUMN name_key TEXT;
UPDATE prospects SET name_key = comparable_name(name);
CREATE INDEX prospects_name_key ON prospects (name_key);
