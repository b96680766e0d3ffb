-- One row per transaction of engine transitions stored on PostgreSQL, written in it: when the
-- answer to its COMMIT is lost (the connection cut just then), the row says whether it was
-- stored, so that its transitions are neither applied twice nor lost. Kept a day (health-purge).
CREATE TABLE alert_commit_marks (
  id uuid PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_commit_marks_at ON alert_commit_marks (at);
