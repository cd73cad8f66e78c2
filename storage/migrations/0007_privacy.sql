-- Privacy: erasing a person (/daten_loeschen and the retention job) and finding their rows.

-- The moderation log stays append-only, with one exception: when a moderator's data is
-- erased, their id in past decisions is replaced by 0 ("a person whose data was erased").
DROP TRIGGER moderation_log_no_update;
CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
WHEN NOT (
    OLD.moderator_id IS NOT NULL AND NEW.moderator_id = 0
    AND NEW.id = OLD.id AND NEW.comment_id = OLD.comment_id AND NEW.action = OLD.action
    AND NEW.reason IS OLD.reason AND NEW.created_at = OLD.created_at
)
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;

-- Lookups by person for the export and the erasure.
CREATE INDEX moderation_log_by_moderator ON moderation_log (moderator_id) WHERE moderator_id IS NOT NULL;
CREATE INDEX comment_reports_by_user ON comment_reports (user_id);
CREATE INDEX roles_by_granter ON roles (granted_by) WHERE granted_by IS NOT NULL;
CREATE INDEX interest_registrations_by_contacter ON interest_registrations (contacted_by)
    WHERE contacted_by IS NOT NULL;
-- The retention job: registrations of interest by their last change.
CREATE INDEX interest_registrations_by_update ON interest_registrations (updated_at);
