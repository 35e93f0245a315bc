using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>How a state dict entry is stored.</summary>
enum StateEntryKind
{
    /// <summary>A state tensor (moments, 8-bit codes, absmax per block).</summary>
    Tensor,

    /// <summary>A real number, stored as a 0-dim float64 tensor.</summary>
    Scalar,

    /// <summary>A whole number such as a step count, stored as a 0-dim int64 tensor.</summary>
    Counter,
}

/// <summary>What a state dict entry must look like: its kind, element type and shape.</summary>
sealed record StateEntry(StateEntryKind Kind, ScalarType DType, long[] Shape)
{
    public static StateEntry ScalarEntry { get; } = new(StateEntryKind.Scalar, ScalarType.Float64, []);

    public static StateEntry CounterEntry { get; } = new(StateEntryKind.Counter, ScalarType.Int64, []);

    public static StateEntry Float32(long[] shape) => new(StateEntryKind.Tensor, ScalarType.Float32, shape);

    public static StateEntry Byte(long[] shape) => new(StateEntryKind.Tensor, ScalarType.Byte, shape);

    public bool Matches(Tensor value) => value.dtype == DType && value.shape.SequenceEqual(Shape);

    public string Describe() => $"{DType} [{string.Join(", ", Shape)}]";
}
