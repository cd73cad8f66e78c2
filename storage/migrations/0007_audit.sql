-- The audit log: every privileged action (roles, workshops, broadcasts, moderation, exports,
-- imports), who did it and when. Rows can be added, never changed or removed.
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
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
