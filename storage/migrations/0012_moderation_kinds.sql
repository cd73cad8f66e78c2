-- The moderation log names any kind of moderated content, (kind, item_id), not only comments.
-- SQLite cannot change a column in place: a new table gets every row (all of them about
-- comments so far, ids kept), the old one is dropped (DROP TABLE fires no DELETE trigger) and
-- the new one takes its name; then its indexes and the append-only triggers, as before.
CREATE TABLE moderation_log_new (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,                -- comment, … (bot.services.moderation)
    item_id      INTEGER NOT NULL,             -- the id of the comment (…) decided on
    moderator_id INTEGER,                      -- NULL: the system (e.g. hidden after 3 reports)
    action       TEXT NOT NULL,                -- approve, reject, hide, restore, delete, …
    reason       TEXT,
    created_at   TEXT NOT NULL
);
INSERT INTO moderation_log_new (id, kind, item_id, moderator_id, action, reason, created_at)
SELECT id, 'comment', comment_id, moderator_id, action, reason, created_at FROM moderation_log
ORDER BY id;
DROP TABLE moderation_log;
ALTER TABLE moderation_log_new RENAME TO moderation_log;

CREATE INDEX moderation_log_by_item ON moderation_log (kind, item_id, id);
CREATE INDEX moderation_log_by_moderator ON moderation_log (moderator_id) WHERE moderator_id IS NOT NULL;

-- Rows can be added, never changed; the one exception (0007): when a moderator's data is
-- erased, their id in past decisions is replaced by 0.
CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
WHEN NOT (
    OLD.moderator_id IS NOT NULL AND NEW.moderator_id = 0
    AND NEW.id = OLD.id AND NEW.kind = OLD.kind AND NEW.item_id = OLD.item_id
    AND NEW.action = OLD.action AND NEW.reason IS OLD.reason AND NEW.created_at = OLD.created_at
)
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
