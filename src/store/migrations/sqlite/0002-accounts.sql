-- 0002-accounts: organizations, services, users, grants, sessions, API tokens, sign-in throttling, audit log.
CREATE TABLE orgs (
  id          INTEGER PRIMARY KEY,
  parent_id   INTEGER REFERENCES orgs(id) ON DELETE RESTRICT,
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  short_name  TEXT NOT NULL DEFAULT '' CHECK (length(short_name) <= 32),
  kind        TEXT NOT NULL CHECK (kind IN ('department', 'component', 'office', 'program')),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX orgs_sibling_name ON orgs (coalesce(parent_id, 0), name COLLATE NOCASE);
CREATE INDEX orgs_parent ON orgs (parent_id);

CREATE TABLE services (
  id                INTEGER PRIMARY KEY,
  org_id            INTEGER NOT NULL REFERENCES orgs(id) ON DELETE RESTRICT,
  name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description       TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  channels          TEXT NOT NULL DEFAULT '[]',
  hisp              INTEGER NOT NULL DEFAULT 0 CHECK (hisp IN (0, 1)),
  annual_customers  INTEGER CHECK (annual_customers >= 0),
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX services_org_name ON services (org_id, name COLLATE NOCASE);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  password_hash  TEXT NOT NULL,
  is_admin       INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE grants (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  org_id      INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  role        TEXT NOT NULL CHECK (role IN ('viewer', 'facilitator', 'analyst')),
  created_at  TEXT NOT NULL,
  UNIQUE (user_id, org_id)
) STRICT;

CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash    TEXT NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER,
  last_used_at  INTEGER,
  revoked_at    INTEGER
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
  key         TEXT PRIMARY KEY,
  failures    INTEGER NOT NULL,
  last_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY,
  at           TEXT NOT NULL,
  actor_id     INTEGER,
  actor        TEXT NOT NULL,
  via          TEXT NOT NULL CHECK (via IN ('web', 'api', 'cli', 'system')),
  action       TEXT NOT NULL,
  object_type  TEXT NOT NULL,
  object_id    INTEGER,
  changes      TEXT NOT NULL DEFAULT '{}',
  client       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
