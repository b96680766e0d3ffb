-- Alert lifecycle: closing time (for reopening within the rule's suppress), escalation,
-- silences.
ALTER TABLE alerts ADD COLUMN closed_at timestamptz;
ALTER TABLE alerts ADD COLUMN suppress_ms bigint;
ALTER TABLE alerts ADD COLUMN escalations integer NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN ack_due_at timestamptz;
ALTER TABLE alerts ADD COLUMN silenced_by text;
CREATE INDEX alerts_closed_key ON alerts (rule_id, key, closed_at DESC) WHERE status = 'resolved';
CREATE INDEX alerts_ack_due ON alerts (ack_due_at) WHERE status = 'open';

-- A silence holds back new alerts of one rule, zone or key until a time, or until the
-- alert it was made from resolves. `ended_at` set means it no longer applies.
CREATE TABLE silences (
  id           text PRIMARY KEY,
  matcher      text NOT NULL,
  value        text NOT NULL,
  rule_id      text,
  until        timestamptz,
  until_alert  text,
  reason       text NOT NULL,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL,
  ended_at     timestamptz,
  ended_by     text
);
CREATE INDEX silences_active ON silences (matcher, value) WHERE ended_at IS NULL;
CREATE INDEX audit_log_at ON audit_log (at DESC);
