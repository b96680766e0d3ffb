-- A wall screen is set up by its display token's name: one token per name. Tokens made with a
-- name already taken (before this check) keep working, the younger ones renamed
-- "<name>-<start of their id>" (their screens' layouts follow them: they are kept by token).
UPDATE display_tokens d SET name = d.name || '-' || left(d.token_hash, 8)
  FROM (SELECT token_hash, row_number() OVER (PARTITION BY name ORDER BY created_at, token_hash) AS n FROM display_tokens) r
 WHERE d.token_hash = r.token_hash AND r.n > 1;
CREATE UNIQUE INDEX display_tokens_name ON display_tokens (name);
