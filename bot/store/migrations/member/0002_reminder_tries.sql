-- What a resend of a reminder must look for in the member's DM channel (the engine's
-- history check, see bot/reminders/engine.py): Discord de-duplicates a repeated nonce
-- only for a few minutes, so a DM whose send may have reached Discord is recognised by
-- when it was tried and by the fingerprint of what was sent, not by its nonce.
--   tried_at     when the first send that may have reached Discord was handed to it
--                (NULL: never tried); kept until the reminder ends
--   tried_prints the fingerprints of what each of those sends contained, space-separated
ALTER TABLE reminders ADD COLUMN tried_at TEXT;
ALTER TABLE reminders ADD COLUMN tried_prints TEXT;
