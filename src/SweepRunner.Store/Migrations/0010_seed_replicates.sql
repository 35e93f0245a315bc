-- Version 10: seed replicates. A sweep with `replicates: N` plans each job N times with derived seeds; each label
-- records the label of its first replicate (the group, the same for all N; NULL without replicates) and which
-- replicate it is (1 for the first, and for every label of a sweep without replicates).

ALTER TABLE sweep_jobs ADD COLUMN replicate_group TEXT CHECK (replicate_group IS NULL OR length(replicate_group) > 0);
ALTER TABLE sweep_jobs ADD COLUMN replicate_index INTEGER NOT NULL DEFAULT 1 CHECK (replicate_index >= 1);
