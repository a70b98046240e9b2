-- A cohort summary's run keys outlive the channel's summary (see ../migrations/0012): no foreign key.
ALTER TABLE cohort_runs DROP CONSTRAINT cohort_runs_channel_id_fkey;
