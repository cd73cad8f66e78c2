-- The living Ideenlandkarte (issue 12): places by municipality, English content, past
-- Ideenlabore with what happened, the lifecycle of an idea (status, news, followers,
-- archive), organisations and contacts' public profiles, and the shipped-content version.

-- ------------------------------------------------------------------ places
-- A municipality may belong to another region than its district: the Mittleres Ruhrgebiet
-- covers Witten and Hattingen of the Ennepe-Ruhr-Kreis, whose other towns belong to the
-- Märkische Region. NULL: the district's region.
ALTER TABLE municipalities ADD COLUMN region_id INTEGER REFERENCES regions (id);
CREATE INDEX municipalities_by_region ON municipalities (region_id) WHERE region_id IS NOT NULL;
UPDATE regions SET name = 'Mittleres Ruhrgebiet' WHERE slug = 'mittlere-ruhr' AND name = 'Mittlere Ruhr';
UPDATE municipalities SET region_id = (SELECT id FROM regions WHERE slug = 'mittlere-ruhr')
WHERE ags IN ('05954016', '05954036') AND EXISTS (SELECT 1 FROM regions WHERE slug = 'mittlere-ruhr');

-- ------------------------------------------------------------------ English content
-- NULL: no English version; an English reader gets the German text, marked as such.
ALTER TABLE regions ADD COLUMN name_en TEXT;
ALTER TABLE challenges ADD COLUMN title_en TEXT;

-- ------------------------------------------------------------------ past Ideenlabore
-- time_known 0: the sources give only the day; starts_at/ends_at then span that local day
-- (00:00 to 24:00) and views show the date alone. Such a workshop is always in the past
-- (the import refuses a coming one without times), so it never gets reminders.
ALTER TABLE workshops ADD COLUMN time_known INTEGER NOT NULL DEFAULT 1 CHECK (time_known IN (0, 1));
ALTER TABLE workshops ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE workshops ADD COLUMN organisers TEXT NOT NULL DEFAULT '[]';      -- JSON list of names
ALTER TABLE workshops ADD COLUMN participants INTEGER CHECK (participants IS NULL OR participants > 0);
ALTER TABLE workshops ADD COLUMN participants_qualifier TEXT
    CHECK (participants_qualifier IN ('about', 'more_than', 'almost'));
ALTER TABLE workshops ADD COLUMN report TEXT NOT NULL DEFAULT '';            -- what happened
ALTER TABLE workshops ADD COLUMN title_en TEXT;
ALTER TABLE workshops ADD COLUMN description_en TEXT;
ALTER TABLE workshops ADD COLUMN report_en TEXT;
ALTER TABLE workshops ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';         -- JSON list of URLs
-- 1: as shipped with the bot; a newer shipped version may replace it. Any import or change in
-- the chat sets 0, and then only `ideenlabor import` changes the row.
ALTER TABLE workshops ADD COLUMN shipped INTEGER NOT NULL DEFAULT 0 CHECK (shipped IN (0, 1));

-- ------------------------------------------------------------------ ideas: lifecycle
ALTER TABLE ideas ADD COLUMN status TEXT NOT NULL DEFAULT 'idea'
    CHECK (status IN ('idea', 'elaboration', 'implementation', 'implemented', 'dormant'));
ALTER TABLE ideas ADD COLUMN status_changed_at TEXT;                 -- UTC; NULL: never changed
-- Where the idea came from: an Ideenlabor (workshop_id when known), staff, or a citizen.
ALTER TABLE ideas ADD COLUMN origin TEXT NOT NULL DEFAULT 'workshop'
    CHECK (origin IN ('workshop', 'staff', 'citizen'));
ALTER TABLE ideas ADD COLUMN workshop_id INTEGER REFERENCES workshops (id) ON DELETE SET NULL;
-- Archived: hidden from citizens (lists, counts, deep links say so), restorable.
ALTER TABLE ideas ADD COLUMN archived_at TEXT;
ALTER TABLE ideas ADD COLUMN archived_reason TEXT;
ALTER TABLE ideas ADD COLUMN archived_by INTEGER;            -- Telegram id; NULL: command line
ALTER TABLE ideas ADD COLUMN title_en TEXT;
ALTER TABLE ideas ADD COLUMN summary_en TEXT;
ALTER TABLE ideas ADD COLUMN body_en TEXT;
ALTER TABLE ideas ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';             -- JSON list of URLs
ALTER TABLE ideas ADD COLUMN follower_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ideas ADD COLUMN shipped INTEGER NOT NULL DEFAULT 0 CHECK (shipped IN (0, 1));
CREATE INDEX ideas_by_workshop ON ideas (workshop_id) WHERE workshop_id IS NOT NULL;
-- The three ideas shipped before this version, unchanged since they were loaded, may be
-- replaced by the new shipped content (see bot.app.prepare_database); changed ones stay.
UPDATE ideas SET shipped = 1
WHERE slug IN ('we-make-you-sexy-niederrhein', 'digital-scouts', 'schachtzeichen-4-0')
  AND created_at = updated_at;

-- The counters of regions and challenges count ideas that are not archived (menus, the map).
DROP TRIGGER ideas_counters_insert;
DROP TRIGGER ideas_counters_delete;
DROP TRIGGER ideas_counters_move;
CREATE TRIGGER ideas_counters_insert AFTER INSERT ON ideas WHEN NEW.archived_at IS NULL
BEGIN
    UPDATE regions SET idea_count = idea_count + 1 WHERE id = NEW.region_id;
    UPDATE challenges SET idea_count = idea_count + 1 WHERE id = NEW.challenge_id;
END;
CREATE TRIGGER ideas_counters_delete AFTER DELETE ON ideas WHEN OLD.archived_at IS NULL
BEGIN
    UPDATE regions SET idea_count = idea_count - 1 WHERE id = OLD.region_id;
    UPDATE challenges SET idea_count = idea_count - 1 WHERE id = OLD.challenge_id;
END;
CREATE TRIGGER ideas_counters_move AFTER UPDATE OF region_id, challenge_id, archived_at ON ideas
BEGIN
    UPDATE regions SET idea_count = idea_count - 1
    WHERE id = OLD.region_id AND OLD.archived_at IS NULL;
    UPDATE regions SET idea_count = idea_count + 1
    WHERE id = NEW.region_id AND NEW.archived_at IS NULL;
    UPDATE challenges SET idea_count = idea_count - 1
    WHERE id = OLD.challenge_id AND OLD.archived_at IS NULL;
    UPDATE challenges SET idea_count = idea_count + 1
    WHERE id = NEW.challenge_id AND NEW.archived_at IS NULL;
END;

-- „Neuigkeiten“: dated progress entries of an idea, its timeline. kind 'status' records a
-- change of status (old → new); 'news' is a text. posted_by: the staff member's Telegram id;
-- NULL for imports and the command line; 0 once that person's data was erased.
CREATE TABLE idea_news (
    id         INTEGER PRIMARY KEY,
    idea_id    INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    posted_at  TEXT NOT NULL,                  -- UTC; an imported date is 12:00 local time
    posted_by  INTEGER,
    kind       TEXT NOT NULL CHECK (kind IN ('news', 'status')),
    old_status TEXT,
    new_status TEXT,
    text       TEXT NOT NULL DEFAULT '',
    text_en    TEXT,
    imported   INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1)),  -- replaced by a re-import
    CHECK ((kind = 'status') = (new_status IS NOT NULL))
);
-- The idea view reads the newest entries through this index (no scan, no sort).
CREATE INDEX idea_news_by_idea ON idea_news (idea_id, posted_at DESC, id DESC);
CREATE INDEX idea_news_by_author ON idea_news (posted_by) WHERE posted_by IS NOT NULL;

-- „🔔 Folgen“: who wants to hear of an idea's status changes and news.
CREATE TABLE idea_followers (
    idea_id INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    since   TEXT NOT NULL,
    PRIMARY KEY (idea_id, user_id)
) WITHOUT ROWID;
-- /meine_ideen: a person's follows, newest first.
CREATE INDEX idea_followers_by_user ON idea_followers (user_id, since);

-- The follower counter on the idea, kept exact by triggers (lists never count followers).
CREATE TRIGGER idea_followers_count_insert AFTER INSERT ON idea_followers
BEGIN
    UPDATE ideas SET follower_count = follower_count + 1 WHERE id = NEW.idea_id;
END;
CREATE TRIGGER idea_followers_count_delete AFTER DELETE ON idea_followers
BEGIN
    UPDATE ideas SET follower_count = follower_count - 1 WHERE id = OLD.idea_id;
END;

-- ------------------------------------------------------------------ working groups
ALTER TABLE working_groups ADD COLUMN name_en TEXT;
ALTER TABLE working_groups ADD COLUMN description_en TEXT;
ALTER TABLE working_groups ADD COLUMN shipped INTEGER NOT NULL DEFAULT 0 CHECK (shipped IN (0, 1));

-- ------------------------------------------------------------------ organisations
-- Organisations shown on their region's page, e.g. the Regionalagentur: no personal data.
CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    region_id  INTEGER NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL DEFAULT 'regionalagentur' CHECK (kind IN ('regionalagentur', 'other')),
    name       TEXT NOT NULL,
    host       TEXT NOT NULL DEFAULT '',       -- the organisation hosting it (Träger), if known
    host_en    TEXT,
    url        TEXT,                           -- its public web page
    sources    TEXT NOT NULL DEFAULT '[]',     -- JSON list of URLs
    shipped    INTEGER NOT NULL DEFAULT 0 CHECK (shipped IN (0, 1)),
    updated_at TEXT NOT NULL
);
CREATE INDEX organisations_by_region ON organisations (region_id, name);

-- ------------------------------------------------------------------ contacts' public profile
-- What a regional contact publishes for citizens in the chat, kept apart from the imported
-- record (name, organisation, and the e-mail and phone that registrations are delivered to):
-- published_at is when they agreed that these fields are shown to citizens; NULL: not shown
-- (citizens then see an imported record's name and organisation). An erasure clears them.
ALTER TABLE contacts ADD COLUMN public_name TEXT;
ALTER TABLE contacts ADD COLUMN public_organisation TEXT;
ALTER TABLE contacts ADD COLUMN public_email TEXT;
ALTER TABLE contacts ADD COLUMN public_phone TEXT;
ALTER TABLE contacts ADD COLUMN published_at TEXT;
-- 1: the person made this record in the chat (all of it is theirs: erased with them).
ALTER TABLE contacts ADD COLUMN self_made INTEGER NOT NULL DEFAULT 0 CHECK (self_made IN (0, 1));
CREATE INDEX contacts_by_telegram_id ON contacts (telegram_id) WHERE telegram_id IS NOT NULL;

-- ------------------------------------------------------------------ shipped content
-- Small facts about the database, e.g. 'shipped_content' = the version of bot/data loaded.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
