-- paperboy archive, schema version 1.
-- Applied by src/archive/archive.c inside one transaction; PRAGMA user_version
-- records the version reached. Never edit a released migration: add 002.sql.

CREATE TABLE papers (
    id                    TEXT PRIMARY KEY,
    title                 TEXT NOT NULL,
    abstract              TEXT NOT NULL,
    abstract_hash         TEXT NOT NULL,
    authors               TEXT NOT NULL,         -- JSON array of names
    published_at          TEXT NOT NULL,
    submitted_on_daily_at TEXT,
    upvotes               INTEGER NOT NULL DEFAULT 0,
    num_comments          INTEGER NOT NULL DEFAULT 0,
    github_repo           TEXT,
    github_stars          INTEGER NOT NULL DEFAULT 0,
    project_page          TEXT,
    ai_summary            TEXT,
    ai_keywords           TEXT,                  -- JSON array
    organization          TEXT,
    first_seen_at         TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);

CREATE TABLE days (
    date            TEXT PRIMARY KEY,            -- YYYY-MM-DD, Asia/Shanghai
    paper_count     INTEGER NOT NULL,
    first_stored_at TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE day_papers (
    date     TEXT NOT NULL REFERENCES days(date) ON DELETE CASCADE,
    paper_id TEXT NOT NULL REFERENCES papers(id),
    rank     INTEGER NOT NULL,                   -- 1-based, API order
    PRIMARY KEY (date, paper_id),
    UNIQUE (date, rank)
);

CREATE TABLE raw_responses (
    id          INTEGER PRIMARY KEY,
    date        TEXT NOT NULL,
    page        INTEGER NOT NULL,
    url         TEXT NOT NULL,
    status      INTEGER NOT NULL,
    source      TEXT NOT NULL,                   -- 'api' or 'import:<file>'
    body_sha256 TEXT NOT NULL,
    body        BLOB NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (date, page, source, body_sha256)
);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    command     TEXT NOT NULL,
    date        TEXT,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL DEFAULT 'running', -- running, ok, partial, failed, no-papers
    detail      TEXT
);

CREATE TABLE translations (
    id             INTEGER PRIMARY KEY,
    paper_id       TEXT NOT NULL REFERENCES papers(id),
    abstract_hash  TEXT NOT NULL,
    model          TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    title_zh       TEXT NOT NULL,
    abstract_zh    TEXT NOT NULL,
    summary_zh     TEXT,
    raw            TEXT,
    tokens_in      INTEGER NOT NULL DEFAULT 0,
    tokens_out     INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    UNIQUE (paper_id, abstract_hash, model, prompt_version)
);

CREATE INDEX translations_by_paper ON translations(paper_id, abstract_hash);
CREATE INDEX day_papers_by_paper ON day_papers(paper_id);
