-- paperboy archive, schema version 3: the audio broadcast of each day,
-- for the podcast feed (byte length and duration of every episode).

CREATE TABLE audio (
    date        TEXT PRIMARY KEY REFERENCES days(date),
    path        TEXT NOT NULL,      -- relative to the output directory
    bytes       INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    chapters    INTEGER NOT NULL,
    voice       TEXT NOT NULL,      -- e.g. 'espeak-ng:cmn' or 'tts:tts-1/alloy'
    created_at  TEXT NOT NULL
);
