-- Indexes for queries that read whole tables (issue 9.5) and for fair dispatch (issue 9.4).

-- open_opportunities(): "is there a later round of this interview?" is a correlated lookup by previous_id.
CREATE INDEX interviews_previous ON interviews(previous_id) WHERE previous_id IS NOT NULL;

-- count_pending(user_id) (the per-user cap) and a user's pending prompts read this index, not the table.
CREATE INDEX prompts_pending_user ON prompts(user_id, due_at) WHERE state = 'pending';

-- The dispatcher counts each user's claimed (in-flight) prompts; only in-flight rows are in it.
CREATE INDEX prompts_claimed_user ON prompts(user_id) WHERE state = 'claimed';

-- The notice channels to watch: the index holds exactly the rows the query returns.
CREATE INDEX guilds_notice ON guilds(notice_channel_id) WHERE notice_channel_id IS NOT NULL AND enabled = 1;
