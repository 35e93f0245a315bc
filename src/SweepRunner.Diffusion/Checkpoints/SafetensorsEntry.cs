namespace SweepRunner.Diffusion.Checkpoints;

/// <summary>One tensor described by a safetensors header.</summary>
/// <param name="Name">The tensor's key.</param>
/// <param name="Dtype">Its element type.</param>
/// <param name="Shape">Its dimensions (empty for a scalar).</param>
/// <param name="DataBegin">First byte, relative to the start of the data area.</param>
/// <param name="DataEnd">One past the last byte, relative to the start of the data area.</param>
public sealed record SafetensorsEntry(string Name, SafetensorsDtype Dtype, IReadOnlyList<long> Shape, long DataBegin, long DataEnd)
{
    /// <summary>Number of elements (product of the shape; 1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dim in Shape) count *= dim;
            return count;
        }
    }

    /// <summary>The shape as TorchSharp takes it.</summary>
    public long[] ShapeArray() => Shape.ToArray();
}
