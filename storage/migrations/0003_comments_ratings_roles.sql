-- Comments and ratings on ideas, moderation with an append-only log, and roles.

-- Roles: admins (region_id NULL) and regional contacts (per region). IDEENLABOR_ADMINS
-- bootstraps admins in memory; rows here are granted in the bot.
CREATE TABLE roles (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'contact')),
    region_id  INTEGER REFERENCES regions (id) ON DELETE CASCADE,
    granted_by INTEGER,
    granted_at TEXT NOT NULL,
    CHECK ((role = 'admin') = (region_id IS NULL))
);
CREATE UNIQUE INDEX roles_unique ON roles (user_id, role, COALESCE(region_id, 0));
CREATE INDEX roles_by_region ON roles (region_id, role);

-- How a user wants to appear under their comments: 'first_name' or 'anonymous'.
ALTER TABLE users ADD COLUMN comment_name TEXT CHECK (comment_name IN ('first_name', 'anonymous'));

CREATE TABLE comments (
    id          INTEGER PRIMARY KEY,
    idea_id     INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id     INTEGER REFERENCES users (telegram_id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,                 -- as published: a first name or "anonym"
    text        TEXT NOT NULL,                 -- exactly as typed
    text_key    TEXT NOT NULL,                 -- normalised, to refuse the same text twice
    status      TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'hidden', 'deleted')),
    created_at  TEXT NOT NULL,
    decided_at  TEXT
);
CREATE INDEX comments_by_idea ON comments (idea_id, status, created_at DESC, id DESC);
CREATE INDEX comments_by_user ON comments (user_id, created_at);
CREATE INDEX comments_pending ON comments (created_at, id) WHERE status = 'pending';

CREATE TABLE comment_reports (
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    reason     TEXT NOT NULL CHECK (reason IN ('spam', 'insult', 'off_topic', 'personal_data', 'other')),
    created_at TEXT NOT NULL,
    resolved   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (comment_id, user_id)
) WITHOUT ROWID;

-- Every moderation decision: who, when, what, why. Rows can be added, never changed.
CREATE TABLE moderation_log (
    id           INTEGER PRIMARY KEY,
    comment_id   INTEGER NOT NULL,
    moderator_id INTEGER,                      -- NULL: the system (e.g. hidden after 3 reports)
    action       TEXT NOT NULL,                -- approve, reject, hide, restore, delete
    reason       TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX moderation_log_by_comment ON moderation_log (comment_id, id);
CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;

CREATE TABLE ratings (
    idea_id    INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    stars      INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (idea_id, user_id)
) WITHOUT ROWID;
CREATE INDEX ratings_by_user ON ratings (user_id);

-- Counters on the idea for lists and sorting, kept exact by triggers.
ALTER TABLE ideas ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ideas ADD COLUMN rating_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ideas ADD COLUMN rating_sum INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER comments_count_insert AFTER INSERT ON comments WHEN NEW.status = 'approved'
BEGIN
    UPDATE ideas SET comment_count = comment_count + 1 WHERE id = NEW.idea_id;
END;
CREATE TRIGGER comments_count_update AFTER UPDATE OF status ON comments
WHEN (OLD.status = 'approved') != (NEW.status = 'approved')
BEGIN
    UPDATE ideas SET comment_count = comment_count + (CASE WHEN NEW.status = 'approved' THEN 1 ELSE -1 END)
    WHERE id = NEW.idea_id;
END;
CREATE TRIGGER comments_count_delete AFTER DELETE ON comments WHEN OLD.status = 'approved'
BEGIN
    UPDATE ideas SET comment_count = comment_count - 1 WHERE id = OLD.idea_id;
END;

CREATE TRIGGER ratings_insert AFTER INSERT ON ratings
BEGIN
    UPDATE ideas SET rating_count = rating_count + 1, rating_sum = rating_sum + NEW.stars
    WHERE id = NEW.idea_id;
END;
CREATE TRIGGER ratings_update AFTER UPDATE OF stars ON ratings
BEGIN
    UPDATE ideas SET rating_sum = rating_sum - OLD.stars + NEW.stars WHERE id = NEW.idea_id;
END;
CREATE TRIGGER ratings_delete AFTER DELETE ON ratings
BEGIN
    UPDATE ideas SET rating_count = rating_count - 1, rating_sum = rating_sum - OLD.stars
    WHERE id = OLD.idea_id;
END;

CREATE INDEX ideas_by_region_discussed ON ideas (region_id, comment_count DESC, id DESC);
CREATE INDEX ideas_by_region_rated ON ideas (region_id, rating_count > 0 DESC, (CAST(rating_sum AS REAL) / MAX(rating_count, 1)) DESC, id DESC);
