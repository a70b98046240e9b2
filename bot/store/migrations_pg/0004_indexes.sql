-- Indexes (as migrations/0004_indexes.sql).
CREATE INDEX interviews_previous ON interviews(previous_id) WHERE previous_id IS NOT NULL;
CREATE INDEX prompts_pending_user ON prompts(user_id, due_at) WHERE state = 'pending';
CREATE INDEX prompts_claimed_user ON prompts(user_id) WHERE state = 'claimed';
CREATE INDEX guilds_notice ON guilds(notice_channel_id) WHERE notice_channel_id IS NOT NULL AND enabled = 1;
