// Torch's default random generator and thread pools are process-wide: tests that seed it with manual_seed and
// build models must not interleave, or weights depend on which tests happen to run at the same time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
