-- 003: feedback that changes at its source, and index deletions that survive
-- a crash.
--
-- A chat conversation fetched from an API can gain turns after it was
-- ingested. Its connector gives it a revision (the source's "updated" time);
-- a newer revision of a stored feedback replaces it: the old row and its
-- events go, the new ones come in under fresh event ids, in one batch.
--
-- index_tombstone lists event ids whose Xapian documents must be deleted. It
-- is written in the same transaction as the deletion, and emptied only after
-- the index has committed the deletes, so a kill in between is made up for by
-- the next catch-up.
--
-- store_meta.event_id_floor is the highest event id ever deleted: new events
-- get ids above it, so an id the index has seen is never reused for another
-- sentence (the index catches up by "events after the last id I hold").
--
-- Invariants:
--   1. every event id is above event_id_floor when it is inserted.
--   2. a Xapian document whose event is gone is named in index_tombstone
--      until the index has deleted it.

ALTER TABLE feedback ADD COLUMN revision TEXT NOT NULL DEFAULT '';

CREATE TABLE index_tombstone (
  event_id INTEGER PRIMARY KEY
);

CREATE TABLE store_meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
