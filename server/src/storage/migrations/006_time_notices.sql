-- Events the rules engine saw out of time (issue 3), per source and minute: how many came
-- later than the allowed lateness (evaluated best effort) and how many were stamped beyond
-- the clock-skew bound, with the worst of each. Every node adds its own; feed health reads them.
CREATE TABLE time_notices (
  source        text NOT NULL,
  minute        timestamptz NOT NULL,
  late          integer NOT NULL DEFAULT 0,
  late_max_ms   bigint NOT NULL DEFAULT 0,
  future        integer NOT NULL DEFAULT 0,
  future_max_ms bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (source, minute)
);
CREATE INDEX time_notices_minute ON time_notices (minute);
