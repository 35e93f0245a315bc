namespace SweepRunner.Core.Sweeps;

/// <summary>A place in an input file: 1-based line and column (0 when unknown).</summary>
public sealed record SourceMark(string File, int Line, int Column)
{
    public override string ToString() => Line <= 0 ? File : Column > 0 ? $"{File}:{Line}:{Column}" : $"{File}:{Line}";
}

/// <summary>One problem in a sweep file: where, what is wrong, and what to do about it.</summary>
public sealed record SweepError(SourceMark Where, string Problem, string Fix)
{
    public override string ToString() => string.IsNullOrEmpty(Fix) ? $"{Where}: {Problem}" : $"{Where}: {Problem}. {Fix}";
}

public sealed class SweepValidationException(IReadOnlyList<SweepError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<SweepError> Errors { get; } = errors;
}
