// Several tests train with real workers; libtorch's threads spin while they wait, so two trainings at once on a
// small machine each run many times slower than one after the other (measured: the quickstart test took 6 min
// beside the run tests, 36 s alone on 2 cores).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
