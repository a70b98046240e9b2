-- Privacy (issue 14): activity for the retention setting, and indexes so that export, forget, the
-- server clean-up and the retention sweep read only the rows they need.

-- The last time the user used Debrief (a command, a button, a form, a DM to the bot). Prompts the bot
-- sends are not activity. Existing users start from their latest record, so turning retention on
-- never treats someone who was active as inactive.
ALTER TABLE users ADD COLUMN last_seen_at INTEGER;
-- When the "your data will be deleted in a week" DM was scheduled; cleared by any activity.
ALTER TABLE users ADD COLUMN retention_warned_at INTEGER;
UPDATE users SET last_seen_at = MAX(
    created_at,
    COALESCE((SELECT MAX(created_at) FROM interviews i WHERE i.user_id = users.id), 0),
    COALESCE((SELECT MAX(updated_at) FROM debriefs d WHERE d.user_id = users.id), 0),
    COALESCE((SELECT MAX(seen_at) FROM memberships m WHERE m.user_id = users.id), 0)
);
CREATE INDEX users_last_seen ON users(last_seen_at);

-- A user's rows, found by user (export, forget) and by parent (the cascades of forget).
CREATE INDEX drafts_user ON drafts(user_id);
CREATE INDEX focus_user ON focus(user_id);
CREATE INDEX focus_interview ON focus(interview_id) WHERE interview_id IS NOT NULL;
CREATE INDEX next_steps_interview ON next_steps(interview_id);

-- A server's memberships (the bot was removed from the server).
CREATE INDEX memberships_guild ON memberships(guild_id);
