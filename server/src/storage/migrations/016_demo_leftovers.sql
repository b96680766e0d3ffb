-- Demo mode's accounts and tokens are public (README): a start outside demo mode disables the
-- accounts still opened by their demo password, and records why ('demo-password'), so that a
-- later demo start on the same data enables those again (and only those). Rows are never deleted:
-- the audit log and alerts name the accounts. Any change of `disabled` by an administrator clears it.
ALTER TABLE users ADD COLUMN disabled_reason text;
-- Whether this database was ever seeded in demo mode (one row, written by each demo start), and
-- when a start outside demo mode last said so (it says so once after each demo start).
CREATE TABLE demo_seed (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  first_at   timestamptz NOT NULL DEFAULT now(),
  last_at    timestamptz NOT NULL DEFAULT now(),
  checked_at timestamptz
);
-- Databases seeded before this migration: their demo tokens (by their SHA-256) or demo accounts
-- (by their display names) tell.
INSERT INTO demo_seed (id, first_at, last_at)
SELECT true, min(at), max(at) FROM (
  SELECT created_at AS at FROM feed_tokens WHERE token_hash = 'fvjIhe14D9cbeIIR_yrdfZtMQhvA4YOpWfzNS5f8WOE'
  UNION ALL SELECT created_at FROM display_tokens WHERE token_hash = '9zeWu_LbeD49ByU8dCX_vex1pBD7ERqGhx-ZApI5NaI'
  UNION ALL SELECT created_at FROM users WHERE username IN ('operator', 'supervisor', 'admin') AND display_name LIKE '% de démonstration'
) seen
HAVING count(*) > 0;
