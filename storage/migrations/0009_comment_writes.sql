-- The anti-spam limits (IDEENLABOR_COMMENT_LIMITS) count the comments a person *wrote* in a
-- window, not the comments still there: deleting one's own comment must not free a place
-- (write 2, delete 1, write again ... gave moderators notices without end). One row per
-- comment written, holding only who and when. Rows older than the longest window are pruned
-- at every new comment and by the daily retention job. An erasure (/daten_loeschen) keeps
-- them until then, so that erasing one's data is no way around the limit either.
CREATE TABLE comment_writes (
    user_id    INTEGER NOT NULL,               -- a Telegram user id (no reference: outlives users)
    written_at TEXT NOT NULL                   -- UTC
);
CREATE INDEX comment_writes_by_user ON comment_writes (user_id, written_at);
CREATE INDEX comment_writes_by_time ON comment_writes (written_at);
-- The comments written so far count as before; the first prune drops what is outside the window.
INSERT INTO comment_writes (user_id, written_at)
    SELECT user_id, created_at FROM comments WHERE user_id IS NOT NULL;
