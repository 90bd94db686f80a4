-- paperboy archive, schema version 4: editions in more than one language,
-- insights kept instead of recomputed, the artefacts each stage wrote, and
-- runs recorded per stage, day and language.

-- NULL for day-wide stages (fetch, speak); 'zh-CN', 'zh-TW' for per-edition
-- ones. Runs recorded before version 4 keep NULL.
ALTER TABLE runs ADD COLUMN lang TEXT;
CREATE INDEX runs_by_stage ON runs(command, date, lang);

-- The text of a zh-CN LLM translation in another language, derived from it
-- (by OpenCC, never by another LLM call). Keyed by the source translation:
-- a retranslation is a new translations row, so its old variant never shows.
CREATE TABLE translation_variants (
    translation_id INTEGER NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
    lang           TEXT NOT NULL,               -- 'zh-TW'
    converter      TEXT NOT NULL,               -- e.g. 'opencc:s2twp.json'
    title          TEXT NOT NULL,
    abstract       TEXT NOT NULL,
    summary        TEXT,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (translation_id, lang)
);

-- A day's insights in one language are known once this row exists, so a day
-- with no keywords differs from one never computed. Rows are deleted (with
-- their keywords, and for zh-CN the day's areas) whenever what they were
-- computed from changes: see the triggers below.
CREATE TABLE day_insights (
    date        TEXT NOT NULL REFERENCES days(date) ON DELETE CASCADE,
    lang        TEXT NOT NULL,
    papers      INTEGER NOT NULL,               -- papers the insights were computed over
    computed_at TEXT NOT NULL,
    PRIMARY KEY (date, lang)
);

-- The research areas of each paper of a day (area = the taxonomy's zh-CN
-- name, its identity). Language-independent: written with the day's zh-CN
-- insights, and gone when those are.
CREATE TABLE paper_areas (
    date     TEXT NOT NULL REFERENCES days(date) ON DELETE CASCADE,
    paper_id TEXT NOT NULL REFERENCES papers(id),
    area     TEXT NOT NULL,
    PRIMARY KEY (date, paper_id, area)
);
CREATE INDEX paper_areas_by_area ON paper_areas(area, date);

-- A day's keywords in one language, most frequent first (rank 1).
CREATE TABLE day_keywords (
    date  TEXT NOT NULL,
    lang  TEXT NOT NULL,
    rank  INTEGER NOT NULL,
    word  TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (date, lang, rank),
    FOREIGN KEY (date, lang) REFERENCES day_insights(date, lang) ON DELETE CASCADE
);
CREATE INDEX day_keywords_by_word ON day_keywords(lang, word);

-- What each stage wrote, so later stages read their inputs from here rather
-- than by testing files on disk. lang is '' for day-wide artefacts.
CREATE TABLE artefacts (
    date       TEXT NOT NULL,
    lang       TEXT NOT NULL,
    kind       TEXT NOT NULL,                   -- 'poster', 'edition_md', 'audio', …
    path       TEXT NOT NULL,                   -- relative to the output directory
    bytes      INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (date, lang, kind)
);

-- Broadcasts recorded before version 4 are artefacts too.
INSERT INTO artefacts (date, lang, kind, path, bytes, created_at)
    SELECT date, '', 'audio', path, bytes, created_at FROM audio;

-- Stale insights are forgotten, not served: a change to a day's list, to a
-- listed paper's text, or to its translation or variant deletes the insights
-- computed from them, and the next pictures stage or `stats` recomputes them.
CREATE TRIGGER day_papers_insert_forgets_insights AFTER INSERT ON day_papers BEGIN
    DELETE FROM day_insights WHERE date = NEW.date;
END;
CREATE TRIGGER day_papers_delete_forgets_insights AFTER DELETE ON day_papers BEGIN
    DELETE FROM day_insights WHERE date = OLD.date;
END;
CREATE TRIGGER paper_text_forgets_insights
    AFTER UPDATE OF title, abstract, ai_keywords ON papers
    WHEN OLD.title IS NOT NEW.title OR OLD.abstract IS NOT NEW.abstract
      OR OLD.ai_keywords IS NOT NEW.ai_keywords BEGIN
    DELETE FROM day_insights
        WHERE date IN (SELECT date FROM day_papers WHERE paper_id = NEW.id);
END;
CREATE TRIGGER translation_forgets_insights AFTER INSERT ON translations BEGIN
    DELETE FROM day_insights
        WHERE date IN (SELECT date FROM day_papers WHERE paper_id = NEW.paper_id);
END;
CREATE TRIGGER variant_insert_forgets_insights AFTER INSERT ON translation_variants BEGIN
    DELETE FROM day_insights WHERE lang = NEW.lang AND date IN (
        SELECT d.date FROM day_papers d JOIN translations t ON t.paper_id = d.paper_id
        WHERE t.id = NEW.translation_id);
END;
CREATE TRIGGER variant_update_forgets_insights AFTER UPDATE ON translation_variants BEGIN
    DELETE FROM day_insights WHERE lang = NEW.lang AND date IN (
        SELECT d.date FROM day_papers d JOIN translations t ON t.paper_id = d.paper_id
        WHERE t.id = NEW.translation_id);
END;
CREATE TRIGGER zh_cn_insights_carry_areas AFTER DELETE ON day_insights
    WHEN OLD.lang = 'zh-CN' BEGIN
    DELETE FROM paper_areas WHERE date = OLD.date;
END;
