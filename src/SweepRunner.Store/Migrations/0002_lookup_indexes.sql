-- Version 2: indexes for the lookups that status, scoring and export make by job, and for
-- foreign-key checks, which otherwise scan the child tables.

CREATE INDEX sweep_jobs_by_job ON sweep_jobs (job_id);
CREATE INDEX attempts_by_job ON attempts (job_id, id);
CREATE INDEX attempts_open_by_heartbeat ON attempts (heartbeat_at) WHERE ended_at IS NULL;
CREATE INDEX checkpoints_by_attempt ON checkpoints (attempt_id);
CREATE INDEX previews_by_attempt ON previews (attempt_id);
CREATE INDEX scores_by_job_and_scorer ON scores (job_id, scorer, id);
CREATE INDEX scores_by_preview ON scores (preview_id) WHERE preview_id IS NOT NULL;
CREATE INDEX events_by_sweep ON events (sweep_id, id) WHERE sweep_id IS NOT NULL;
CREATE INDEX events_by_job ON events (job_id, id) WHERE job_id IS NOT NULL;
