-- Two indexes for issue 13's weekly read (`_WEEK_SQL` in bot/store/summaries.py), so that two of its branches
-- are answered from an index without visiting a year of table rows per user:
-- * the debriefs whose reading is not stored yet, per user: the branch that reads their answers probes
--   this (nearly always empty) index instead of checking each of the user's finished debriefs;
-- * the applications' sums: `count` joins the (user, logged at) index, which it replaces.
CREATE INDEX debriefs_unkeyed_user ON debriefs(user_id, finished_at) WHERE state = 'done' AND stumble_keys IS NULL;
DROP INDEX applications_user;
CREATE INDEX applications_user ON applications(user_id, logged_at, count);
