-- Citizens propose ideas (issue 13). A proposal is pre-moderated always: the region's
-- contacts and the admins approve it (it becomes an idea, origin 'citizen'), reject it, ask
-- for changes (the author revises and resubmits the same proposal) or merge it into an
-- existing idea as a duplicate. A withdrawn proposal is deleted (the log keeps that it was).
CREATE TABLE proposals (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER,                      -- the author, NULL once erased (kept published)
    author_name   TEXT NOT NULL,                -- first name or „anonym“, as for comments
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    region_id     INTEGER NOT NULL REFERENCES regions (id),
    challenge_id  INTEGER REFERENCES challenges (id) ON DELETE SET NULL,  -- NULL if none fits
    wants_to_help INTEGER NOT NULL DEFAULT 0 CHECK (wants_to_help IN (0, 1)),
    status        TEXT NOT NULL
        CHECK (status IN ('pending', 'changes', 'approved', 'rejected', 'merged')),
    reason        TEXT,                         -- the moderator's reason (changes, reject)
    -- approved: the idea it became, merged: the idea it duplicates
    idea_id       INTEGER REFERENCES ideas (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,                -- UTC
    submitted_at  TEXT NOT NULL,                -- UTC, the last (re)submission (queue order)
    decided_at    TEXT                          -- UTC
);
CREATE INDEX proposals_by_user ON proposals (user_id, id) WHERE user_id IS NOT NULL;
CREATE INDEX proposals_waiting ON proposals (region_id, submitted_at) WHERE status = 'pending';

-- The anti-spam limits (IDEENLABOR_PROPOSAL_LIMITS) count proposals *submitted*, as
-- comment_writes does for comments: withdrawing one does not free a place, and an erasure
-- keeps the rows until the longest window has passed.
CREATE TABLE proposal_writes (
    user_id    INTEGER NOT NULL,
    written_at TEXT NOT NULL                    -- UTC
);
CREATE INDEX proposal_writes_by_user ON proposal_writes (user_id, written_at);
CREATE INDEX proposal_writes_by_time ON proposal_writes (written_at);
