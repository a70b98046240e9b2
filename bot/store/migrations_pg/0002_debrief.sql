-- Debriefs, version 2 (as migrations/0002_debrief.sql).
ALTER TABLE debriefs ADD COLUMN message_id BIGINT;
ALTER TABLE debriefs ADD COLUMN summary TEXT;

CREATE INDEX debriefs_user ON debriefs(user_id, updated_at);
CREATE INDEX IF NOT EXISTS focus_active ON focus(user_id) WHERE state = 'active';
