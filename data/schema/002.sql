-- paperboy archive, schema version 2: the translation engine.
-- Every paid LLM answer is logged as it arrives (accepted or not), and a
-- translation records the numbers it dropped from the English abstract.

ALTER TABLE translations ADD COLUMN warnings TEXT;   -- e.g. 'missing numbers: 14.36, 7.65'

CREATE TABLE llm_answers (
    id             INTEGER PRIMARY KEY,
    paper_id       TEXT NOT NULL REFERENCES papers(id),
    model          TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    attempt        INTEGER NOT NULL,
    verdict        TEXT NOT NULL,                -- accepted, retry: <why>, rejected: <why>
    finish_reason  TEXT,
    content        TEXT NOT NULL,
    tokens_in      INTEGER NOT NULL DEFAULT 0,
    tokens_out     INTEGER NOT NULL DEFAULT 0,
    received_at    TEXT NOT NULL
);

CREATE INDEX llm_answers_by_paper ON llm_answers(paper_id);
