-- Version 12: automatic scores. Each preview may have a CLIP-I, DINO and CLIP-T score per model, the model named by
-- the SHA-256 of its weights file, so scores of different models are never mixed. Image embeddings of training
-- images are cached per model and image content, so a dataset is embedded once. A job spec names the model
-- folders that score its previews once it has trained (auto_scores:), if any.

ALTER TABLE job_specs ADD COLUMN auto_score_clip TEXT CHECK (auto_score_clip IS NULL OR length(auto_score_clip) > 0);
ALTER TABLE job_specs ADD COLUMN auto_score_dino TEXT CHECK (auto_score_dino IS NULL OR length(auto_score_dino) > 0);

CREATE TABLE auto_scores (
    preview_id   INTEGER NOT NULL REFERENCES previews (id),
    metric       TEXT NOT NULL CHECK (metric IN ('clip-i', 'dino', 'clip-t')),
    model_sha256 TEXT NOT NULL CHECK (length(model_sha256) = 64),
    value        REAL NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (preview_id, metric, model_sha256)
) STRICT, WITHOUT ROWID;

CREATE TABLE image_embeddings (
    model_sha256 TEXT NOT NULL CHECK (length(model_sha256) = 64),
    image_sha256 TEXT NOT NULL CHECK (length(image_sha256) = 64),
    vector       BLOB NOT NULL CHECK (length(vector) > 0 AND length(vector) % 4 = 0),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (model_sha256, image_sha256)
) STRICT, WITHOUT ROWID;
