-- A dead letter an admin replays is stored as an upload's batch is (its events were not its feed
-- speaking then: the rules take them as an upload's, after a restart too), but it is not an
-- upload of the source: feed health leaves it out of the source's imports.
ALTER TABLE feed_imports ADD COLUMN replay boolean NOT NULL DEFAULT false;
