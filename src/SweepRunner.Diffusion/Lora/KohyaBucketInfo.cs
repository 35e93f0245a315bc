using System.Globalization;

namespace SweepRunner.Diffusion.Lora;

/// <summary>A bucket as ss_bucket_info lists it: its index among all bucket resolutions, its size, its images × repeats.</summary>
public sealed record BucketCount(int Index, int Width, int Height, long Count);

/// <summary>
/// ss_bucket_info as sd-scripts writes it (json.dumps of the dataset's bucket_info): <c>null</c> without enable_bucket,
/// otherwise the non-empty buckets by index with their resolution and count, and mean_img_ar_error, the mean over the
/// images (repeats not counted) of |bucket aspect ratio − image aspect ratio|, summed as NumPy's mean sums.
/// </summary>
public static class KohyaBucketInfo
{
    public const string None = "null";

    public static string Json(IEnumerable<BucketCount> buckets, IReadOnlyList<double> aspectRatioErrors)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(aspectRatioErrors);
        var listed = PythonText.JsonObject(buckets.Where(b => b.Count > 0).Select(b => new KeyValuePair<string, string>(
            b.Index.ToString(CultureInfo.InvariantCulture),
            $"{{\"resolution\": [{b.Width}, {b.Height}], \"count\": {b.Count.ToString(CultureInfo.InvariantCulture)}}}")));
        // sd-scripts writes the integer 0 when there are no images, to avoid NaN.
        var mean = aspectRatioErrors.Count == 0 ? "0" : PythonText.Float(PairwiseSum(aspectRatioErrors.Select(Math.Abs).ToArray()) / aspectRatioErrors.Count);
        return $"{{\"buckets\": {listed}, \"mean_img_ar_error\": {mean}}}";
    }

    /// <summary>NumPy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src), whose rounding np.mean has.</summary>
    static double PairwiseSum(ReadOnlySpan<double> a)
    {
        const int blockSize = 128;
        if (a.Length < 8)
        {
            var sum = 0.0;
            foreach (var value in a) sum += value;
            return sum;
        }
        if (a.Length <= blockSize)
        {
            Span<double> r = stackalloc double[8];
            a[..8].CopyTo(r);
            var i = 8;
            for (; i < a.Length - a.Length % 8; i += 8)
                for (var j = 0; j < 8; j++) r[j] += a[i + j];
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < a.Length; i++) res += a[i];
            return res;
        }
        var half = a.Length / 2;
        half -= half % 8;
        return PairwiseSum(a[..half]) + PairwiseSum(a[half..]);
    }
}
