-- Feed health per source and minute (issue 4), kept as events are stored, so that feed health
-- reads at most a day of minutes per source instead of a day of events (a vehicle feed stores
-- millions a day, and health is read every 10 s on every node). Filled from the last day's
-- events on upgrade.
CREATE TABLE feed_minutes (
  source         text NOT NULL,
  minute         timestamptz NOT NULL,
  events         integer NOT NULL,
  -- messages (batches) stored: each has one received time
  batches        integer NOT NULL,
  first_received timestamptz NOT NULL,
  last_received  timestamptz NOT NULL,
  -- the newest event time not stamped beyond five minutes after its reception (a clock gone wrong)
  last_time      timestamptz,
  PRIMARY KEY (source, minute)
);
CREATE INDEX feed_minutes_minute ON feed_minutes (minute);

INSERT INTO feed_minutes (source, minute, events, batches, first_received, last_received, last_time)
SELECT source, date_trunc('minute', received_at), count(*), count(DISTINCT received_at), min(received_at), max(received_at),
       max(time) FILTER (WHERE time <= received_at + interval '5 minutes')
  FROM events WHERE received_at > now() - interval '1 day'
 GROUP BY source, date_trunc('minute', received_at);
