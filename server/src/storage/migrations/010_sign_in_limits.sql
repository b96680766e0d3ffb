-- Failed sign-ins and the accounts known at an address, shared by every node on the database
-- (before, each node counted its own: behind a load balancer of N nodes, N times the tries).
-- Keys are SHA-256 hashes, never a typed username (it may be a password typed in the wrong
-- field) nor an address in clear. Failures live for the limits' span (5 minutes), known
-- accounts for a day: each write prunes what is past.
CREATE TABLE sign_in_failures (
  scope text NOT NULL,        -- 'account' (address and username) or 'address'
  key   text NOT NULL,
  at    timestamptz NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (scope, key, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);

CREATE TABLE sign_in_known (
  key text PRIMARY KEY,       -- address and username: that account signed in from that address
  at  timestamptz NOT NULL
);
CREATE INDEX sign_in_known_at ON sign_in_known (at);
