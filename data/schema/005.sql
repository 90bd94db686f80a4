-- paperboy archive, schema version 5: a speech API's answers, kept so a
-- rerun never pays for the same speech twice.

-- One answer of an OpenAI-compatible /audio/speech for exactly this input:
-- the text sent and every setting that changes the sound. speed is 0 for
-- the server's default. audio is the answer as received (WAV).
CREATE TABLE tts_cache (
    text       TEXT NOT NULL,
    voice      TEXT NOT NULL,
    model      TEXT NOT NULL,
    speed      REAL NOT NULL,
    format     TEXT NOT NULL,                   -- 'wav'
    audio      BLOB NOT NULL,
    chars      INTEGER NOT NULL,                -- Unicode characters of text (what is billed)
    created_at TEXT NOT NULL,
    PRIMARY KEY (text, voice, model, speed, format)
);
