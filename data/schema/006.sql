-- paperboy archive, schema version 6: what was delivered to whom, so a rerun
-- never sends twice, and which problems were already alerted.

-- One message of a day's edition to one channel and recipient. A row is
-- written as 'sending' (committed) before the message goes out and becomes
-- 'sent' or 'failed' when the server answers, so a run killed mid-send
-- repeats at most the message in flight. part numbers the messages of a day
-- on a channel that splits it (0 first). recipient is the e-mail address,
-- '' for a chat channel. No secret is stored: a channel is named by its
-- config section, never by its URL or token.
CREATE TABLE deliveries (
    id           INTEGER PRIMARY KEY,
    date         TEXT NOT NULL,
    lang         TEXT NOT NULL,
    channel      TEXT NOT NULL,                 -- 'mail' or NAME of [push.NAME]
    kind         TEXT NOT NULL,                 -- 'mail', 'slack', 'telegram', ...
    recipient    TEXT NOT NULL DEFAULT '',
    part         INTEGER NOT NULL DEFAULT 0,
    payload_hash TEXT NOT NULL,                 -- sha256 of what was sent (before signing)
    status       TEXT NOT NULL,                 -- sending, sent, failed
    message_id   TEXT,                          -- the platform's, when it returns one
    detail       TEXT,                          -- why it failed
    attempts     INTEGER NOT NULL DEFAULT 0,
    updated_at   TEXT NOT NULL,
    UNIQUE (date, lang, channel, recipient, part)
);
CREATE INDEX deliveries_by_date ON deliveries (date);

-- An alert sent to [alerts] push: one per problem, ever.
CREATE TABLE alerts (
    problem TEXT PRIMARY KEY,                   -- a stable key: 'run:123', 'health:stale:2025-12-26'
    channel TEXT NOT NULL,
    text    TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
