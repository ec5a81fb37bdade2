-- 002: links between one customer's events across feedback.
--
-- journey_link holds what cxmap found by reading a customer's feedback in
-- time order (db/journey_links.h): a self-service event followed by an
-- assisted contact on the same topic (kind dead_end), or two contacts on the
-- same topic (kind repeat_contact). days is the time between the two
-- feedback. Pains derived from a link are rows of event_pain with link_id
-- set; pains the tagger found have link_id NULL.
--
-- Invariants:
--   1. a link joins events of two different feedback of the same customer,
--      from the earlier to the later (from_event's feedback received first).
--   2. every event_pain row with link_id set names an existing link, and
--      deleting the link deletes it (recomputing a customer's links deletes
--      theirs and inserts the new ones in one transaction).

CREATE TABLE journey_link (
  id          INTEGER PRIMARY KEY,
  customer_key TEXT NOT NULL,
  from_event  INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
  to_event    INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,            -- dead_end | repeat_contact
  topic       TEXT NOT NULL DEFAULT '',
  days        REAL NOT NULL DEFAULT 0,
  UNIQUE (from_event, to_event, kind)
);
CREATE INDEX journey_link_customer ON journey_link(customer_key);
CREATE INDEX journey_link_to ON journey_link(to_event);

ALTER TABLE event_pain ADD COLUMN link_id INTEGER REFERENCES journey_link(id) ON DELETE CASCADE;
CREATE INDEX event_pain_link ON event_pain(link_id);
