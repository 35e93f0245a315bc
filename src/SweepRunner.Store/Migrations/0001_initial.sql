-- Version 1: every table of the results store.
-- Times are UTC ISO-8601 text of fixed width (yyyy-MM-ddTHH:mm:ss.fffffffZ), so text order is time order.

CREATE TABLE sweeps (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    source_file TEXT NOT NULL,
    source_text TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- A job is one training run, identified by a content hash of its effective settings.
-- It outlives the sweeps that planned it.
CREATE TABLE jobs (
    id              TEXT PRIMARY KEY CHECK (length(id) > 0),
    settings_json   TEXT NOT NULL CHECK (json_valid(settings_json)),
    steps_per_epoch INTEGER NOT NULL CHECK (steps_per_epoch >= 0),
    total_steps     INTEGER NOT NULL CHECK (total_steps >= 0),
    state           TEXT NOT NULL DEFAULT 'planned'
                    CHECK (state IN ('planned', 'running', 'succeeded', 'failed', 'diverged', 'interrupted', 'timed-out')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

-- The jobs a sweep plans, under the label that sweep gives them.
CREATE TABLE sweep_jobs (
    sweep_id           INTEGER NOT NULL REFERENCES sweeps (id),
    label              TEXT NOT NULL CHECK (length(label) > 0),
    job_id             TEXT NOT NULL REFERENCES jobs (id),
    position           INTEGER NOT NULL CHECK (position >= 0),
    diff_json          TEXT NOT NULL CHECK (json_valid(diff_json)),
    duplicate_of_label TEXT,
    estimated_seconds  REAL NOT NULL CHECK (estimated_seconds >= 0),
    PRIMARY KEY (sweep_id, label)
) STRICT;

CREATE TABLE attempts (
    id           INTEGER PRIMARY KEY,
    job_id       TEXT NOT NULL REFERENCES jobs (id),
    started_at   TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    ended_at     TEXT,
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    device       TEXT NOT NULL,
    outcome      TEXT CHECK (outcome IN ('succeeded', 'failed', 'diverged', 'interrupted', 'timed-out')),
    error_text   TEXT,
    CHECK ((ended_at IS NULL) = (outcome IS NULL))
) STRICT;

-- Wall-clock seconds of each phase of one attempt.
CREATE TABLE timings (
    attempt_id     INTEGER PRIMARY KEY REFERENCES attempts (id),
    load_seconds   REAL NOT NULL CHECK (load_seconds >= 0),
    cache_seconds  REAL NOT NULL CHECK (cache_seconds >= 0),
    train_seconds  REAL NOT NULL CHECK (train_seconds >= 0),
    sample_seconds REAL NOT NULL CHECK (sample_seconds >= 0),
    save_seconds   REAL NOT NULL CHECK (save_seconds >= 0)
) STRICT;

-- loss is NULL when the loss was not a number (SQLite stores NaN as NULL).
CREATE TABLE metrics (
    attempt_id         INTEGER NOT NULL REFERENCES attempts (id),
    step               INTEGER NOT NULL CHECK (step >= 0),
    epoch              INTEGER NOT NULL CHECK (epoch >= 0),
    loss               REAL,
    learning_rate      REAL NOT NULL,
    samples_per_second REAL NOT NULL,
    recorded_at        TEXT NOT NULL,
    PRIMARY KEY (attempt_id, step)
) STRICT, WITHOUT ROWID;

-- Artifact paths are relative to the results folder.
CREATE TABLE checkpoints (
    id         INTEGER PRIMARY KEY,
    job_id     TEXT NOT NULL REFERENCES jobs (id),
    attempt_id INTEGER NOT NULL REFERENCES attempts (id),
    epoch      INTEGER NOT NULL CHECK (epoch >= 0),
    path       TEXT NOT NULL,
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    bytes      INTEGER NOT NULL CHECK (bytes >= 0),
    created_at TEXT NOT NULL,
    UNIQUE (job_id, epoch)
) STRICT;

CREATE TABLE previews (
    id              INTEGER PRIMARY KEY,
    job_id          TEXT NOT NULL REFERENCES jobs (id),
    attempt_id      INTEGER NOT NULL REFERENCES attempts (id),
    epoch           INTEGER NOT NULL CHECK (epoch >= 0),
    prompt_index    INTEGER NOT NULL CHECK (prompt_index >= 0),
    prompt          TEXT NOT NULL,
    negative_prompt TEXT NOT NULL,
    seed            INTEGER NOT NULL,
    sampler         TEXT NOT NULL,
    sample_steps    INTEGER NOT NULL CHECK (sample_steps > 0),
    cfg_scale       REAL NOT NULL,
    width           INTEGER NOT NULL CHECK (width > 0),
    height          INTEGER NOT NULL CHECK (height > 0),
    path            TEXT NOT NULL,
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    bytes           INTEGER NOT NULL CHECK (bytes >= 0),
    created_at      TEXT NOT NULL,
    UNIQUE (job_id, epoch, prompt_index)
) STRICT;

-- Append-only: a new opinion is a new row, and the latest row per scorer and target counts.
-- A score on a preview also names the preview's job; a score on a whole job has no preview.
CREATE TABLE scores (
    id         INTEGER PRIMARY KEY,
    job_id     TEXT NOT NULL REFERENCES jobs (id),
    preview_id INTEGER REFERENCES previews (id),
    scorer     TEXT NOT NULL CHECK (length(trim(scorer)) > 0),
    value      REAL NOT NULL CHECK (value >= 0 AND value <= 100),
    blind      INTEGER NOT NULL CHECK (blind IN (0, 1)),
    note       TEXT,
    scored_at  TEXT NOT NULL
) STRICT;

CREATE TRIGGER scores_are_append_only_on_update BEFORE UPDATE ON scores
BEGIN
    SELECT RAISE(ABORT, 'scores are append-only: add a new score instead of changing one');
END;

CREATE TRIGGER scores_are_append_only_on_delete BEFORE DELETE ON scores
BEGIN
    SELECT RAISE(ABORT, 'scores are append-only: add a new score instead of removing one');
END;

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warning', 'error')),
    message     TEXT NOT NULL,
    sweep_id    INTEGER REFERENCES sweeps (id),
    job_id      TEXT REFERENCES jobs (id)
) STRICT;
