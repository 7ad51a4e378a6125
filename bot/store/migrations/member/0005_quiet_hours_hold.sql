-- A reminder held by the member's quiet hours remembers when it was due before that
-- (issue 11: changing quiet hours re-times what they hold, at once). NULL: not held.
ALTER TABLE reminders ADD COLUMN held_from TEXT;
