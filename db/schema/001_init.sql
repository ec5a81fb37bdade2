-- 001: the initial cxmap schema.
--
-- feedback holds one row per piece of feedback (an email, a chat, a survey
-- response); event one row per sentence, placed on the journey. The id of an
-- event is also its Xapian document id, so the index can always be rebuilt
-- from these tables and catch up from the last event it holds.
--
-- Invariants:
--   1. feedback.id = feedback_id(source, external_id); (source, external_id) is unique.
--   2. every ingest_run that finished has read_n = ingested_n + duplicate_n + quarantined_n.
--   3. a quarantined record is stored once per (source, locator, checksum).

CREATE TABLE feedback (
  id           TEXT PRIMARY KEY,
  source       TEXT NOT NULL,
  channel      TEXT NOT NULL,
  external_id  TEXT NOT NULL,
  customer_key TEXT NOT NULL DEFAULT '',
  received_at  TEXT NOT NULL DEFAULT '',
  subject      TEXT NOT NULL DEFAULT '',
  language     TEXT NOT NULL DEFAULT 'und',
  nps          INTEGER,
  csat         INTEGER,
  ces          INTEGER,
  text         TEXT NOT NULL,
  metadata     TEXT NOT NULL DEFAULT '{}',
  invalid_utf8 INTEGER NOT NULL DEFAULT 0,
  run_id       INTEGER NOT NULL,
  UNIQUE (source, external_id)
);
CREATE INDEX feedback_customer ON feedback(customer_key);
CREATE INDEX feedback_received ON feedback(received_at);

CREATE TABLE event (
  id           INTEGER PRIMARY KEY,
  feedback_id  TEXT NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
  ordinal      INTEGER NOT NULL,
  speaker      TEXT NOT NULL,
  start_offset INTEGER NOT NULL,
  end_offset   INTEGER NOT NULL,
  sentence     TEXT NOT NULL,
  compound     REAL NOT NULL,
  pos          REAL NOT NULL,
  neu          REAL NOT NULL,
  neg          REAL NOT NULL,
  emotion      TEXT NOT NULL,
  emotions     TEXT NOT NULL DEFAULT '{}',
  touchpoint   TEXT NOT NULL,
  stage        TEXT NOT NULL,
  UNIQUE (feedback_id, ordinal)
);
CREATE INDEX event_stage ON event(stage);

CREATE TABLE event_pain (
  event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
  kind     TEXT NOT NULL,
  value    REAL NOT NULL DEFAULT 0,
  unit     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_pain_event ON event_pain(event_id);

CREATE TABLE ingest_run (
  id            INTEGER PRIMARY KEY,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  status        TEXT NOT NULL DEFAULT 'running',  -- running | ok | rejects | failed | stopped | interrupted
  sources       TEXT NOT NULL DEFAULT '',
  read_n        INTEGER NOT NULL DEFAULT 0,
  ingested_n    INTEGER NOT NULL DEFAULT 0,
  duplicate_n   INTEGER NOT NULL DEFAULT 0,
  quarantined_n INTEGER NOT NULL DEFAULT 0,
  events_n      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE quarantine (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL,
  source     TEXT NOT NULL,
  locator    TEXT NOT NULL,
  checksum   TEXT NOT NULL,
  reason     TEXT NOT NULL,
  raw        BLOB,
  created_at TEXT NOT NULL,
  UNIQUE (source, locator, checksum)
);

CREATE TABLE source_cursor (
  source     TEXT PRIMARY KEY,
  cursor     TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- One row per event with the feedback fields it is filtered and grouped by.
-- The first pain kind is enough for the slice's facets; event_pain has all.
CREATE VIEW event_row AS
SELECT e.id AS event_id, e.feedback_id, e.ordinal, e.speaker, e.sentence,
       e.compound, e.pos, e.neu, e.neg, e.emotion, e.emotions, e.touchpoint, e.stage,
       CASE WHEN e.compound >= 0.05 THEN 'pos' WHEN e.compound <= -0.05 THEN 'neg' ELSE 'neu' END AS sentiment,
       (SELECT kind FROM event_pain p WHERE p.event_id = e.id ORDER BY rowid LIMIT 1) AS pain,
       f.source, f.channel, f.customer_key, f.received_at, f.language, f.nps, f.csat, f.ces
FROM event e JOIN feedback f ON f.id = e.feedback_id;
