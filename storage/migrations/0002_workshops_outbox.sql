-- Ideenlabore (workshops), who follows them, reminders, the durable delivery queue,
-- broadcasts and the drafts of multi-step dialogues.

-- The language Telegram reports for the user, for notifications sent outside a chat.
ALTER TABLE users ADD COLUMN detected_language TEXT;
-- Set when the user blocked the bot (Telegram 403); cleared when they write again.
ALTER TABLE users ADD COLUMN blocked_at TEXT;

CREATE TABLE workshops (
    id               INTEGER PRIMARY KEY,
    slug             TEXT NOT NULL UNIQUE,
    region_id        INTEGER NOT NULL REFERENCES regions (id),
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    starts_at        TEXT NOT NULL,                -- UTC, ISO 8601
    ends_at          TEXT NOT NULL,                -- UTC, ISO 8601
    venue            TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL DEFAULT '',
    registration_url TEXT,
    capacity         INTEGER CHECK (capacity IS NULL OR capacity > 0),  -- NULL: no limit
    status           TEXT NOT NULL DEFAULT 'planned'
                     CHECK (status IN ('planned', 'changed', 'cancelled')),
    sequence         INTEGER NOT NULL DEFAULT 0,   -- bumped on every change (iCalendar SEQUENCE)
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX workshops_by_start ON workshops (starts_at);
CREATE INDEX workshops_by_region ON workshops (region_id, starts_at);

-- "Erinnern": the user wants the reminders of one workshop.
CREATE TABLE workshop_followers (
    workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (workshop_id, user_id)
) WITHOUT ROWID;
CREATE INDEX workshop_followers_by_user ON workshop_followers (user_id);

-- "Alle Termine der Region abonnieren".
CREATE TABLE region_subscriptions (
    region_id  INTEGER NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (region_id, user_id)
) WITHOUT ROWID;
CREATE INDEX region_subscriptions_by_user ON region_subscriptions (user_id);

-- "Ich nehme teil": confirmed seats and the waiting list (ordered by id).
CREATE TABLE registrations (
    id           INTEGER PRIMARY KEY,
    workshop_id  INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,                 -- given with consent for the participant list
    status       TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting')),
    created_at   TEXT NOT NULL,
    UNIQUE (workshop_id, user_id)
);
CREATE INDEX registrations_by_workshop ON registrations (workshop_id, status, id);
CREATE INDEX registrations_by_user ON registrations (user_id);

-- Reminder times of a workshop; fanned out into the outbox when due.
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    label       TEXT NOT NULL,                  -- the schedule entry, e.g. 7d@09:00
    due_at      TEXT NOT NULL,                  -- UTC
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'dropped')),
    UNIQUE (workshop_id, label)
);
CREATE INDEX reminders_due ON reminders (state, due_at);

-- A broadcast by an admin; its messages are outbox rows.
CREATE TABLE broadcasts (
    id                  INTEGER PRIMARY KEY,
    admin_id            INTEGER NOT NULL,
    audience            TEXT NOT NULL,          -- 'all' or 'region:<id>'
    text                TEXT NOT NULL,
    total               INTEGER NOT NULL,
    progress_message_id INTEGER,
    created_at          TEXT NOT NULL,
    finished_at         TEXT
);

-- The durable delivery queue: every notification is written here first.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    chat_id      INTEGER NOT NULL,
    kind         TEXT NOT NULL,                 -- reminder, workshop_new, workshop_changed, ...
    dedupe_key   TEXT UNIQUE,                   -- at most one row per key, ever
    payload      TEXT NOT NULL,                 -- JSON: text (HTML) and buttons
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'blocked')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    not_before   TEXT NOT NULL,                 -- UTC; later for retries
    broadcast_id INTEGER REFERENCES broadcasts (id),
    created_at   TEXT NOT NULL,
    sent_at      TEXT,
    last_error   TEXT
);
CREATE INDEX outbox_due ON outbox (not_before, id) WHERE state = 'pending';
CREATE INDEX outbox_by_broadcast ON outbox (broadcast_id, state) WHERE broadcast_id IS NOT NULL;
CREATE INDEX outbox_by_chat ON outbox (chat_id, state);

-- The state of a multi-step dialogue (new workshop, broadcast, ...), one per user.
CREATE TABLE drafts (
    user_id    INTEGER PRIMARY KEY,
    flow       TEXT NOT NULL,
    step       TEXT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',      -- JSON
    updated_at TEXT NOT NULL
);
