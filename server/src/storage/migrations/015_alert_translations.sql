-- An alert's title and actions in its rule's other languages, by language ({"en": {"title", "actions"}}):
-- the console shows those of its own language. Alerts raised before have none.
ALTER TABLE alerts ADD COLUMN translations jsonb NOT NULL DEFAULT '{}';
-- The same for the alerts a rule in shadow mode records.
ALTER TABLE shadow_alerts ADD COLUMN translations jsonb NOT NULL DEFAULT '{}';
