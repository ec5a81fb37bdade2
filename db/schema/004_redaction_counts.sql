-- 004: how much personal data each ingest run redacted.
--
-- redacted is a JSON object of counts by type, {"email": 3, "phone": 1},
-- with types that never fired left out: what the run removed, never what
-- the removed values were (pipeline/redact.h).

ALTER TABLE ingest_run ADD COLUMN redacted TEXT NOT NULL DEFAULT '{}';
