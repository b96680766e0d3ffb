-- One-off uploads (the console's CSV import, `?import=true`), one row per stored batch: its
-- source, the received time its events share, and how many it stored. A batch's events carry
-- that received time, so this tells them from live messages with no mark on the events (the
-- live ingest writes nothing more). Feed health lists an import-only source as `imported`,
-- never late or silent; the engine's replay and the absence rules' baselines leave uploads out.
CREATE TABLE feed_imports (
  source      text NOT NULL,
  received_at timestamptz NOT NULL,
  events      integer NOT NULL DEFAULT 0,
  PRIMARY KEY (source, received_at)
);
CREATE INDEX feed_imports_received ON feed_imports (received_at);
