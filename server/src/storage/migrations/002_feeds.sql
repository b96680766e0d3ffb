-- Feeds (issue 4): dead letters, feed configurations, temporary zones, Open311 ids.

-- What an adapter or the pipeline refused: the raw payload (encrypted: it may hold personal
-- data) and why, so that an admin can see it and replay it after a fix.
CREATE TABLE dead_letters (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL,
  format      text NOT NULL,
  source      text,
  sender      text NOT NULL,
  code        text NOT NULL,
  reason      text NOT NULL,
  rejected    jsonb NOT NULL DEFAULT '[]',
  options     jsonb,
  payload     text NOT NULL,
  replayed_at timestamptz,
  replay      jsonb
);
CREATE INDEX dead_letters_at ON dead_letters (at DESC);

-- Polled GTFS-RT URLs and MQTT topic mappings.
CREATE TABLE feed_configs (
  id            text PRIMARY KEY,
  kind          text NOT NULL,
  source        text NOT NULL,
  format        text NOT NULL,
  url           text,
  interval_s    integer,
  topic         text,
  enabled       boolean NOT NULL DEFAULT true,
  etag          text,
  last_modified text,
  last_poll_at  timestamptz,
  last_error    text,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);

-- CAP warnings' areas are zones for the warning's span only.
ALTER TABLE zones ADD COLUMN expires_at timestamptz;

-- GTFS static imports: routes with their names, colours and shapes (stops go to places).
CREATE TABLE transit_routes (
  feed       text NOT NULL,
  id         text NOT NULL,
  short_name text NOT NULL,
  long_name  text NOT NULL,
  type       integer NOT NULL,
  color      text,
  shapes     jsonb NOT NULL,
  PRIMARY KEY (feed, id)
);
