-- Version 11: the validation loss. A job spec records the separate validation folder a job validates on (absolute;
-- NULL when it holds out part of its dataset, or has no validation set). Each attempt records the loss on the
-- validation set after the epochs it validates at: the mean over every validation image and the fixed timesteps,
-- with the number of images it covered. loss is NULL when it was not a number.

ALTER TABLE job_specs ADD COLUMN validation_folder TEXT CHECK (validation_folder IS NULL OR length(validation_folder) > 0);

CREATE TABLE validation_losses (
    attempt_id  INTEGER NOT NULL REFERENCES attempts (id),
    epoch       INTEGER NOT NULL CHECK (epoch >= 1),
    step        INTEGER NOT NULL CHECK (step >= 1),
    loss        REAL,
    images      INTEGER NOT NULL CHECK (images >= 1),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (attempt_id, epoch)
) STRICT, WITHOUT ROWID;
