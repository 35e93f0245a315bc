-- Version 6: what a worker trains. `sweeprunner run` parses the sweep file once and records, for every job it
-- is about to train, the effective settings and every path the sweep file names resolved to an absolute path,
-- with the preview prompt file's text as it was read. The worker reads its job from here, never the sweep file,
-- so editing the sweep or prompt file during a run does not change the jobs of that run. A later run of the
-- same sweep records its own spec over the earlier one.

CREATE TABLE job_specs (
    sweep_id            INTEGER NOT NULL REFERENCES sweeps (id),
    job_id              TEXT NOT NULL REFERENCES jobs (id),
    label               TEXT NOT NULL CHECK (length(label) > 0),
    settings_json       TEXT NOT NULL CHECK (json_valid(settings_json)),
    steps_per_epoch     INTEGER NOT NULL CHECK (steps_per_epoch >= 0),
    total_steps         INTEGER NOT NULL CHECK (total_steps >= 0),
    dataset_path        TEXT NOT NULL CHECK (length(dataset_path) > 0),
    caption_extension   TEXT NOT NULL,
    dataset_fingerprint TEXT NOT NULL CHECK (length(dataset_fingerprint) > 0),
    base_model          TEXT NOT NULL CHECK (length(base_model) > 0),
    sample_prompts_path TEXT,
    sample_prompts_text TEXT CHECK (sample_prompts_text IS NULL OR sample_prompts_path IS NOT NULL),
    recorded_at         TEXT NOT NULL,
    PRIMARY KEY (sweep_id, job_id)
) STRICT;
