-- Debriefs, version 2.
--
-- debriefs.state gains 'aside': a debrief the user set aside to start another one. Every answer is
-- kept and it can be resumed later; the partial unique index still allows one 'open' debrief per user.

-- The DM that shows the current step, so its buttons can be taken off when the step is answered by typing.
ALTER TABLE debriefs ADD COLUMN message_id INTEGER;
-- The summary card as JSON, written when the debrief is finished and again after every edit.
ALTER TABLE debriefs ADD COLUMN summary TEXT;

CREATE INDEX debriefs_user ON debriefs(user_id, updated_at);
CREATE INDEX IF NOT EXISTS focus_active ON focus(user_id) WHERE state = 'active';
