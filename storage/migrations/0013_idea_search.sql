-- Full-text search over the ideas (issue 13): „🔎 Ideen suchen“ and „Gibt es schon?“.
--
-- The index: an FTS5 table over what citizens read of an idea: its title, summary and body
-- (German and English) and the name of its region (German and English). Not the challenge:
-- its title is a long phrase shared by a fifth of all ideas, and „Digitalisierung“ would then
-- find every idea of that challenge instead of those about it (browsing by challenge is there
-- for that). Archived ideas are not in the index at all, so no search can show one; restoring
-- an idea puts it back. Nothing in it names a person (ideas.archived_by is not indexed).
--
-- Tokenizer: unicode61 with remove_diacritics 2 folds case and diacritics, in the text and in
-- the query alike: „MÜNSTER“, „Münster“ and „Munster“ are all the token „munster“. The other
-- German spellings — „Muenster“ for „Münster“, „Strasse“ for „Straße“ and back — are handled
-- at query time (storage/search_terms.py): each typed word becomes an OR of its spellings
-- (ue ↔ ü, ss ↔ ß, …). The alternative, an index of transliterated text, would need a SQL
-- function in these triggers (ä → ae is beyond SQLite's own functions), registered on every
-- connection that ever writes an idea: the bot's, `ideenlabor import`, a restore, an operator's
-- sqlite3 shell. One connection without it, and a write fails („no such function“). Here the
-- triggers are plain SQL, so no write path can break or forget the index.
--
-- Sync: an external-content table (the documented pattern: the text is not stored twice) whose
-- content is the view idea_search_source, kept current by the triggers below on every write
-- path: imports, staff creating, editing, archiving and restoring ideas, renaming a region.
-- The 'delete' command must be given exactly the values that were indexed; the BEFORE
-- triggers read them from the same view before the row changes, the AFTER triggers index the
-- new values. Triggers fire only when an indexed column changes, so the counters (comments,
-- ratings, followers) never touch the index. `INSERT INTO idea_search(idea_search)
-- VALUES('integrity-check')` compares the index with the view (tests/test_search_storage.py);
-- a later migration that changes the view must end with VALUES('rebuild').
-- Never INSERT OR REPLACE an idea: REPLACE deletes without firing the delete trigger.

CREATE VIEW idea_search_source AS
SELECT i.id AS id,
       i.title || char(10) || COALESCE(i.title_en, '') AS title,
       i.summary || char(10) || COALESCE(i.summary_en, '') AS summary,
       i.body || char(10) || COALESCE(i.body_en, '') AS body,
       COALESCE(r.name, '') || char(10) || COALESCE(r.name_en, '') AS region
FROM ideas i LEFT JOIN regions r ON r.id = i.region_id
WHERE i.archived_at IS NULL;

-- prefix: every typed word is also a prefix query („Digitali“ → „Digitalisierung“), and a
-- short stem such as „pflege*“ is shared by hundreds of compounds, each with its own list of
-- ideas to merge. Indexes for prefixes of 3 to 8 letters answer those from one list: in
-- bench/search.py (10,000 ideas) the slowest searches took half the time, for an index 3.5
-- times as large (35 instead of 10 MB; for the shipped ideas about 2 KB an idea).
CREATE VIRTUAL TABLE idea_search USING fts5 (
    title, summary, body, region,
    content = 'idea_search_source',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '3 4 5 6 7 8'
);
-- Ranking: bm25 with the title weighing most, then the summary, the region, the body.
INSERT INTO idea_search (idea_search, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 2.0)');

CREATE TRIGGER idea_search_insert AFTER INSERT ON ideas WHEN NEW.archived_at IS NULL
BEGIN
    INSERT INTO idea_search (rowid, title, summary, body, region)
    SELECT id, title, summary, body, region FROM idea_search_source WHERE id = NEW.id;
END;

CREATE TRIGGER idea_search_delete BEFORE DELETE ON ideas WHEN OLD.archived_at IS NULL
BEGIN
    INSERT INTO idea_search (idea_search, rowid, title, summary, body, region)
    SELECT 'delete', id, title, summary, body, region FROM idea_search_source WHERE id = OLD.id;
END;

CREATE TRIGGER idea_search_update_old
BEFORE UPDATE OF id, title, summary, body, title_en, summary_en, body_en, region_id, archived_at
ON ideas
WHEN OLD.id IS NOT NEW.id OR OLD.title IS NOT NEW.title OR OLD.summary IS NOT NEW.summary
  OR OLD.body IS NOT NEW.body OR OLD.title_en IS NOT NEW.title_en
  OR OLD.summary_en IS NOT NEW.summary_en OR OLD.body_en IS NOT NEW.body_en
  OR OLD.region_id IS NOT NEW.region_id OR OLD.archived_at IS NOT NEW.archived_at
BEGIN
    INSERT INTO idea_search (idea_search, rowid, title, summary, body, region)
    SELECT 'delete', id, title, summary, body, region FROM idea_search_source WHERE id = OLD.id;
END;

CREATE TRIGGER idea_search_update_new
AFTER UPDATE OF id, title, summary, body, title_en, summary_en, body_en, region_id, archived_at
ON ideas
WHEN OLD.id IS NOT NEW.id OR OLD.title IS NOT NEW.title OR OLD.summary IS NOT NEW.summary
  OR OLD.body IS NOT NEW.body OR OLD.title_en IS NOT NEW.title_en
  OR OLD.summary_en IS NOT NEW.summary_en OR OLD.body_en IS NOT NEW.body_en
  OR OLD.region_id IS NOT NEW.region_id OR OLD.archived_at IS NOT NEW.archived_at
BEGIN
    INSERT INTO idea_search (rowid, title, summary, body, region)
    SELECT id, title, summary, body, region FROM idea_search_source WHERE id = NEW.id;
END;

CREATE TRIGGER idea_search_region_old BEFORE UPDATE OF id, name, name_en ON regions
WHEN OLD.id IS NOT NEW.id OR OLD.name IS NOT NEW.name OR OLD.name_en IS NOT NEW.name_en
BEGIN
    INSERT INTO idea_search (idea_search, rowid, title, summary, body, region)
    SELECT 'delete', id, title, summary, body, region FROM idea_search_source
    WHERE id IN (SELECT id FROM ideas WHERE region_id = OLD.id);
END;

CREATE TRIGGER idea_search_region_new AFTER UPDATE OF id, name, name_en ON regions
WHEN OLD.id IS NOT NEW.id OR OLD.name IS NOT NEW.name OR OLD.name_en IS NOT NEW.name_en
BEGIN
    INSERT INTO idea_search (rowid, title, summary, body, region)
    SELECT id, title, summary, body, region FROM idea_search_source
    WHERE id IN (SELECT id FROM ideas WHERE region_id = NEW.id);
END;

INSERT INTO idea_search (idea_search) VALUES ('rebuild');

-- The words of a search whose results have pages, so that the buttons of the result list
-- (≤ 64 bytes, too small for the words) can name it by id. Not linked to anyone: no user id,
-- the same words of two people are one row. The id is random, so that a forged button cannot
-- walk through other people's searches. Kept 7 days after the words were last searched
-- (storage.search.QUERY_KEPT; the daily retention job removes older rows).
CREATE TABLE search_queries (
    id        INTEGER PRIMARY KEY,
    words     TEXT NOT NULL UNIQUE,
    used_at   TEXT NOT NULL
);
CREATE INDEX search_queries_by_use ON search_queries (used_at);
