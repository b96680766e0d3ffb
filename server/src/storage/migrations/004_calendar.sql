-- Major events (matches, concerts, demonstrations, fairs): the calendar the wall and the
-- briefings read. `uid` is the iCalendar UID (with the occurrence's start for a recurring
-- event), so importing the same file again updates rather than duplicates.
CREATE TABLE calendar_events (
  id                text PRIMARY KEY,
  uid               text UNIQUE,
  title             text NOT NULL,
  kind              text NOT NULL,
  venue             text NOT NULL,
  lat               double precision NOT NULL,
  lon               double precision NOT NULL,
  perimeter         jsonb NOT NULL,
  starts_at         timestamptz NOT NULL,
  ends_at           timestamptz NOT NULL,
  attendance        integer NOT NULL,
  arrival_minutes   integer NOT NULL,
  departure_minutes integer NOT NULL,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL
);
CREATE INDEX calendar_events_starts ON calendar_events (starts_at);
CREATE INDEX calendar_events_ends ON calendar_events (ends_at);

-- One configuration per wall screen (display token): which views cycle, how long each.
CREATE TABLE wall_screens (
  token_hash text PRIMARY KEY REFERENCES display_tokens(token_hash) ON DELETE CASCADE,
  config     jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);
