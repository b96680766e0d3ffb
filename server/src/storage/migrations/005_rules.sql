-- Rules in the database (issue 6): every publish is a new version; `rules` points at the one in force.
CREATE TABLE rules (
  id                text PRIMARY KEY,
  published_version integer NOT NULL,
  -- shadow: the rule runs, its alerts go to shadow_alerts instead of the operators' queue
  shadow            boolean NOT NULL DEFAULT false,
  updated_at        timestamptz NOT NULL,
  updated_by        text NOT NULL
);
CREATE TABLE rule_versions (
  rule_id  text NOT NULL,
  version  integer NOT NULL,
  yaml     text NOT NULL,
  author   text NOT NULL,
  at       timestamptz NOT NULL,
  comment  text NOT NULL DEFAULT '',
  -- unified line diff against the previous version ('' for version 1)
  diff     text NOT NULL DEFAULT '',
  PRIMARY KEY (rule_id, version)
);
-- What rules in shadow mode would have raised: recorded, never pushed.
CREATE TABLE shadow_alerts (
  id           bigserial PRIMARY KEY,
  rule_id      text NOT NULL,
  rule_version integer NOT NULL,
  key          text NOT NULL,
  kind         text NOT NULL,
  at           timestamptz NOT NULL,
  severity     text NOT NULL,
  title        text NOT NULL,
  zones        jsonb NOT NULL,
  lat          double precision,
  lon          double precision,
  explanation  jsonb NOT NULL,
  evidence     jsonb NOT NULL
);
CREATE INDEX shadow_alerts_rule_at ON shadow_alerts (rule_id, at DESC);
CREATE INDEX alerts_rule_created ON alerts (rule_id, created_at DESC);
