-- Each finished debrief's reading by the pattern engine, kept beside it (issue 13's weekly sweep reads these
-- instead of every answer of a year): the topics and question types it notes a stumble on, and the topics
-- the interview covered, each as space-separated keys ('' = none). NULL = not read yet: every write of an
-- answer sets them back to NULL, the service writes them when a debrief is finished or edited, and a
-- batched pass at start fills the rows written before this migration. A NULL row is read from its answers.
ALTER TABLE debriefs ADD COLUMN stumble_keys TEXT;
ALTER TABLE debriefs ADD COLUMN topic_keys TEXT;
CREATE INDEX debriefs_unkeyed ON debriefs(id) WHERE state = 'done' AND stumble_keys IS NULL;
