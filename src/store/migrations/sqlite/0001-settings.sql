-- 0001-settings: instance-wide settings (key/value), and who this database is.
CREATE TABLE settings (
  key        TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 100),
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

INSERT INTO settings (key, value, updated_at)
VALUES ('instance_id', lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
       ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
