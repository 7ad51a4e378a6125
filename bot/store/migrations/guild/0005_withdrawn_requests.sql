-- An asker can take back a request still waiting for an answer (/network requests):
-- its status 'withdrawn'. SQLite can't change a CHECK constraint, so the table is
-- rebuilt as its docs describe (https://www.sqlite.org/lang_altertable.html#otheralter);
-- no other table refers to it.
CREATE TABLE network_requests_new (
    id          INTEGER PRIMARY KEY,
    asker_id    INTEGER NOT NULL,
    listed_id   INTEGER NOT NULL,
    asker_name  TEXT NOT NULL,
    listed_name TEXT NOT NULL,
    message     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'accepted', 'declined', 'not-now', 'expired',
                                  'closed', 'undelivered', 'withdrawn')),
    silent      INTEGER NOT NULL DEFAULT 0,
    asked_at    TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    answered_at TEXT
);
INSERT INTO network_requests_new
SELECT id, asker_id, listed_id, asker_name, listed_name, message, status, silent, asked_at,
       expires_at, answered_at
FROM network_requests;
DROP TABLE network_requests;
ALTER TABLE network_requests_new RENAME TO network_requests;
CREATE INDEX network_requests_listed ON network_requests (listed_id, asked_at);
CREATE INDEX network_requests_asker ON network_requests (asker_id, status);
CREATE UNIQUE INDEX network_requests_open_pair ON network_requests (asker_id, listed_id)
    WHERE status = 'open';
