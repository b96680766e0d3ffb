-- Accounts and tokens managed by administrators (outside demo mode nothing default exists):
-- when a user last signed in (an account unused for months is one to disable), and who made
-- each token and when it was last used (at most once a minute per token: no write per request).
ALTER TABLE users ADD COLUMN last_sign_in_at timestamptz;
ALTER TABLE users ADD COLUMN updated_at timestamptz;
ALTER TABLE feed_tokens ADD COLUMN created_by text;
ALTER TABLE feed_tokens ADD COLUMN last_used_at timestamptz;
ALTER TABLE display_tokens ADD COLUMN created_by text;
ALTER TABLE display_tokens ADD COLUMN last_used_at timestamptz;
