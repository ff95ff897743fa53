-- 0003-models: imported maturity models; each (id, version) is immutable.
CREATE TABLE models (
  id           TEXT NOT NULL CHECK (length(id) BETWEEN 1 AND 64),
  version      TEXT NOT NULL CHECK (length(version) BETWEEN 1 AND 64),
  title        TEXT NOT NULL,
  content      TEXT NOT NULL,
  sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
  nfunctions   INTEGER NOT NULL DEFAULT 0,
  nindicators  INTEGER NOT NULL DEFAULT 0,
  imported_at  TEXT NOT NULL,
  PRIMARY KEY (id, version)
) STRICT;
