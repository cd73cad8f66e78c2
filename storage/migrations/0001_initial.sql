-- Regions of the idea map: the 16 labour-market regions of NRW with their places.
CREATE TABLE regions (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE districts (
    key       TEXT PRIMARY KEY,          -- 5-digit Kreisschlüssel, e.g. 05913
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('kreisfreie Stadt', 'Kreis')),
    region_id INTEGER NOT NULL REFERENCES regions (id)
);
CREATE INDEX districts_by_region ON districts (region_id);

CREATE TABLE municipalities (
    ags          TEXT PRIMARY KEY,       -- 8-digit Gemeindeschlüssel
    name         TEXT NOT NULL,
    district_key TEXT NOT NULL REFERENCES districts (key),
    lat          REAL,
    lon          REAL
);
CREATE INDEX municipalities_by_district ON municipalities (district_key);

CREATE TABLE postal_codes (
    code TEXT NOT NULL,
    ags  TEXT NOT NULL REFERENCES municipalities (ags) ON DELETE CASCADE,
    PRIMARY KEY (code, ags)
) WITHOUT ROWID;
CREATE INDEX postal_codes_by_municipality ON postal_codes (ags);

-- Village names (Ortsteile) that point to their municipality.
CREATE TABLE localities (
    name TEXT NOT NULL,
    ags  TEXT NOT NULL REFERENCES municipalities (ags) ON DELETE CASCADE,
    PRIMARY KEY (name, ags)
) WITHOUT ROWID;
CREATE INDEX localities_by_municipality ON localities (ags);

-- The challenges (Herausforderungen) of the dialogue process.
CREATE TABLE challenges (
    id       INTEGER PRIMARY KEY,
    slug     TEXT NOT NULL UNIQUE,
    title    TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE ideas (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    region_id    INTEGER REFERENCES regions (id),        -- NULL: the source names no region
    challenge_id INTEGER REFERENCES challenges (id),     -- NULL: the source names no challenge
    summary      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    published_on TEXT,                                   -- ISO date; NULL when unknown
    url          TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX ideas_by_region ON ideas (region_id, published_on DESC, id DESC);
CREATE INDEX ideas_by_challenge ON ideas (challenge_id, published_on DESC, id DESC);

-- A person is their Telegram id; nothing else about them is kept here.
CREATE TABLE users (
    telegram_id INTEGER PRIMARY KEY,
    language    TEXT CHECK (language IN ('de', 'en')),  -- NULL: follow Telegram's language
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL
);
CREATE INDEX users_by_last_seen ON users (last_seen);
