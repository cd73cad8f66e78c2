-- Working groups carrying ideas, regional contacts, invitations to link a contact to Telegram,
-- and citizens' registrations of interest (stored only after consent).
CREATE TABLE working_groups (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    region_id   INTEGER NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
    description TEXT NOT NULL DEFAULT '',
    open        INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1)),
    updated_at  TEXT NOT NULL
);
CREATE INDEX working_groups_by_region ON working_groups (region_id);

CREATE TABLE working_group_ideas (
    group_id INTEGER NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    idea_id  INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, idea_id)
);
CREATE INDEX working_group_ideas_by_idea ON working_group_ideas (idea_id);

-- Contacts as imported (public: name, organisation; e-mail and phone for delivery only).
CREATE TABLE contacts (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    region_id    INTEGER NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    email        TEXT,
    phone        TEXT,
    telegram_id  INTEGER,                     -- linked Telegram user (import or invitation)
    updated_at   TEXT NOT NULL
);
CREATE INDEX contacts_by_region ON contacts (region_id);

-- One-time invitations (/kontakt_einladen): a deep link start=contact_<token>.
CREATE TABLE contact_invites (
    token      TEXT PRIMARY KEY,
    region_id  INTEGER NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
    contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_by    INTEGER,
    used_at    TEXT
);

CREATE TABLE interest_registrations (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    name         TEXT NOT NULL,
    email        TEXT,
    phone        TEXT,
    message      TEXT,
    consent_text TEXT NOT NULL,               -- exactly what the citizen agreed to
    consented_at TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('new', 'contacted', 'withdrawn')),
    revision     INTEGER NOT NULL DEFAULT 1,  -- raised by every update (dedupes notifications)
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    contacted_at TEXT,
    contacted_by INTEGER
);
CREATE UNIQUE INDEX interest_registrations_unique ON interest_registrations (group_id, user_id);
CREATE INDEX interest_registrations_by_user ON interest_registrations (user_id);
