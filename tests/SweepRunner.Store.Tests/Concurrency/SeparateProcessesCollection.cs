namespace SweepRunner.Store.Tests.Concurrency;

/// <summary>Tests that start writer processes run one at a time, so that they do not starve each other of CPU.</summary>
[CollectionDefinition(nameof(SeparateProcessesCollection), DisableParallelization = true)]
public sealed class SeparateProcessesCollection;
