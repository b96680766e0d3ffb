-- Events: (source, id) is the idempotency key; hash tells a duplicate from a conflict.
CREATE TABLE events (
  source      text NOT NULL,
  id          text NOT NULL,
  type        text NOT NULL,
  time        timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  lat         double precision,
  lon         double precision,
  severity    smallint,
  body        jsonb NOT NULL,
  hash        text NOT NULL,
  PRIMARY KEY (source, id)
);
CREATE INDEX events_time ON events (time DESC);
CREATE INDEX events_received ON events (received_at DESC);
CREATE INDEX events_source_time ON events (source, time DESC);

-- Alerts: at most one active alert per (rule, key); seq numbers every change.
CREATE SEQUENCE alert_seq;
CREATE TABLE alerts (
  id               text PRIMARY KEY,
  rule_id          text NOT NULL,
  rule_version     integer NOT NULL,
  key              text NOT NULL,
  status           text NOT NULL,
  severity         text NOT NULL,
  title            text NOT NULL,
  actions          jsonb NOT NULL,
  lat              double precision,
  lon              double precision,
  zones            jsonb NOT NULL,
  count            integer NOT NULL,
  first_at         timestamptz NOT NULL,
  last_at          timestamptz NOT NULL,
  condition_active boolean NOT NULL DEFAULT true,
  assignee         text,
  explanation      jsonb NOT NULL,
  evidence         jsonb NOT NULL,
  history          jsonb NOT NULL DEFAULT '[]',
  version          integer NOT NULL,
  seq              bigint NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX alerts_active_key ON alerts (rule_id, key) WHERE status IN ('open', 'acknowledged');
CREATE INDEX alerts_seq ON alerts (seq);
CREATE INDEX alerts_last_at ON alerts (last_at DESC);

CREATE TABLE audit_log (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL,
  actor   text NOT NULL,
  action  text NOT NULL,
  target  text NOT NULL,
  details jsonb
);

CREATE TABLE users (
  username      text PRIMARY KEY,
  display_name  text NOT NULL,
  role          text NOT NULL,
  password_hash text NOT NULL,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id_hash    text PRIMARY KEY,
  username   text NOT NULL REFERENCES users(username) ON DELETE CASCADE,
  csrf       text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Tokens are stored hashed; `sources` null means any source.
CREATE TABLE feed_tokens (
  token_hash text PRIMARY KEY,
  name       text NOT NULL,
  sources    jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE display_tokens (
  token_hash text PRIMARY KEY,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE zones (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  kind       text NOT NULL,
  tags       jsonb NOT NULL DEFAULT '[]',
  geometry   jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE places (
  id   text PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL,
  lat  double precision NOT NULL,
  lon  double precision NOT NULL
);

CREATE TABLE engine_snapshots (
  node       text PRIMARY KEY,
  at         timestamptz NOT NULL,
  state      jsonb NOT NULL
);
