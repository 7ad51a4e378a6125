-- Changes of plan (issue 11): meetings that move, requests taken back.
--   meetings.revision  how many times /meeting reschedule moved the meeting: its calendar
--                      entry keeps its UID and carries a higher SEQUENCE each time (RFC
--                      5545 §3.8.7.4), so a calendar app moves the entry it already has
--   outreach.guild_id  the server a request was logged in (NULL: in DMs, or logged before
--                      this column existed), so /outreach remove takes it back from that
--                      server's anonymous counts
ALTER TABLE meetings ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outreach ADD COLUMN guild_id INTEGER;
