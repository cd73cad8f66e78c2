-- The audit log: every privileged action (roles, workshops, broadcasts, moderation, exports,
-- imports), who did it and when. Rows can be added, never removed, and changed in one way only:
-- when a person's data is erased (/daten_loeschen), their id as actor becomes '0' and a target
-- 'user:<id>' becomes 'user:0'; what was done, when, stays.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    actor      TEXT NOT NULL,                  -- a Telegram user id, or 'cli' for the command line
    action     TEXT NOT NULL,                  -- e.g. role_grant, workshop_cancel, broadcast
    target     TEXT NOT NULL DEFAULT '',       -- what it was done to, e.g. 'user:4711', 'workshop:3'
    details    TEXT NOT NULL DEFAULT '{}',     -- JSON object
    created_at TEXT NOT NULL
);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
    NEW.id IS OLD.id AND NEW.action IS OLD.action AND NEW.details IS OLD.details
    AND NEW.created_at IS OLD.created_at
    AND (NEW.actor IS OLD.actor OR NEW.actor = '0')
    AND (NEW.target IS OLD.target OR (NEW.target = 'user:0' AND OLD.target LIKE 'user:%'))
    AND (NEW.actor IS NOT OLD.actor OR NEW.target IS NOT OLD.target)
)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
