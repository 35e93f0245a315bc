namespace SweepRunner.Training.Optimizers;

/// <summary>Range checks for optimizer_args values, with the wording used in error messages.</summary>
static class OptimizerRanges
{
    public const string Beta = "in [0, 1)";
    public const string NonNegative = "0 or more";
    public const string Positive = "more than 0";

    public static bool IsBeta(double value) => value >= 0 && value < 1;

    public static bool IsNonNegative(double value) => value >= 0;

    public static bool IsPositive(double value) => value > 0;
}
