-- Version 9: a job may continue a shorter one. A job spec records the run's identity without its length
-- (prefix_key, NULL for a run whose schedule depends on its length) and the job whose final training state it
-- starts from, with the step that state ends at. Both NULL: the job trains from step 0, as before.

ALTER TABLE job_specs ADD COLUMN prefix_key TEXT CHECK (prefix_key IS NULL OR length(prefix_key) > 0);
ALTER TABLE job_specs ADD COLUMN continues_job_id TEXT REFERENCES jobs (id);
ALTER TABLE job_specs ADD COLUMN continues_step INTEGER CHECK (continues_step IS NULL OR continues_step > 0);

CREATE INDEX job_specs_by_prefix_key ON job_specs (prefix_key) WHERE prefix_key IS NOT NULL;
CREATE INDEX job_specs_by_continued_job ON job_specs (continues_job_id) WHERE continues_job_id IS NOT NULL;
