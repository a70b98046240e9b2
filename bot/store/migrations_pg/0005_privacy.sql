-- Privacy (as migrations/0005_privacy.sql; SQLite's many-argument MAX() is GREATEST() here).
ALTER TABLE users ADD COLUMN last_seen_at BIGINT;
ALTER TABLE users ADD COLUMN retention_warned_at BIGINT;
UPDATE users SET last_seen_at = GREATEST(
    created_at,
    COALESCE((SELECT MAX(created_at) FROM interviews i WHERE i.user_id = users.id), 0),
    COALESCE((SELECT MAX(updated_at) FROM debriefs d WHERE d.user_id = users.id), 0),
    COALESCE((SELECT MAX(seen_at) FROM memberships m WHERE m.user_id = users.id), 0)
);
CREATE INDEX users_last_seen ON users(last_seen_at);

CREATE INDEX drafts_user ON drafts(user_id);
CREATE INDEX focus_user ON focus(user_id);
CREATE INDEX focus_interview ON focus(interview_id) WHERE interview_id IS NOT NULL;
CREATE INDEX next_steps_interview ON next_steps(interview_id);

CREATE INDEX memberships_guild ON memberships(guild_id);
