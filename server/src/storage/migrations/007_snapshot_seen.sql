-- An engine snapshot's replay point is a little before the newest event it holds (batches
-- commit out of order): `seen` lists the events received since that point that it already
-- holds, so that a resume replays the others and not these twice.
ALTER TABLE engine_snapshots ADD COLUMN seen jsonb NOT NULL DEFAULT '[]';
