-- One row per live source, kept as its messages are stored (with feed_minutes): its first and
-- last reception and how many messages it sent since it was first heard. Feed health reads
-- it so that a source that fell silent a day ago stays listed (silent, with its last message)
-- instead of leaving the list with its last minutes, and so that a feed that sends rarely
-- (a prefecture's CAP warnings, a few a week) is judged by its own rhythm over its whole
-- history when its last day holds fewer than three messages. Filled from feed_minutes on upgrade.
CREATE TABLE feed_sources (
  source         text PRIMARY KEY,
  first_received timestamptz NOT NULL,
  last_received  timestamptz NOT NULL,
  last_time      timestamptz,
  messages       bigint NOT NULL
);

INSERT INTO feed_sources (source, first_received, last_received, last_time, messages)
SELECT source, min(first_received), max(last_received), max(last_time), sum(batches)
  FROM feed_minutes GROUP BY source;
