-- Calendar invites (issue 16): an interview recorded from an .ics invite keeps the event's UID, so the
-- same invite sent again updates that interview instead of recording a second one.
ALTER TABLE interviews ADD COLUMN ical_uid TEXT;
CREATE UNIQUE INDEX interviews_ical_uid ON interviews(user_id, ical_uid) WHERE ical_uid IS NOT NULL;

-- A draft read from an invite carries the UID until it is confirmed.
ALTER TABLE drafts ADD COLUMN ical_uid TEXT;
