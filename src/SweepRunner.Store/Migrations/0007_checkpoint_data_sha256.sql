-- Version 7: a checkpoint also records the data hash of its safetensors file: the SHA-256 (lower-case hex) of
-- everything after the header, kohya's sshs_model_hash. `sha256` hashes the whole file, and the whole file of a
-- resumed or repeated run differs from an uninterrupted one's in its time metadata (ss_training_started_at,
-- ss_training_finished_at, modelspec.date) even when every tensor is equal; data_sha256 compares the tensors.
-- Checkpoints recorded before this version keep NULL: the migration does not read the files.

ALTER TABLE checkpoints ADD COLUMN data_sha256 TEXT
    CHECK (data_sha256 IS NULL OR (length(data_sha256) = 64 AND data_sha256 NOT GLOB '*[^0-9a-f]*'));
