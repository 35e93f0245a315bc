using System.Collections.Concurrent;
using SweepRunner.Core.Datasets;
using SweepRunner.Core.Results;
using SweepRunner.Core.Running;

namespace SweepRunner.Web.Api;

/// <summary>
/// The training image pairwise mode shows as the reference for a preview: the first image (in the dataset scanner's
/// order) of the dataset its job trained on, as the run recorded it in the job's spec. Only that file is ever served,
/// so no request names a path. Scans are kept per dataset folder: a dataset does not change under a running sweep.
/// </summary>
internal sealed class ReferenceImages(IScoringStore store)
{
    private readonly ConcurrentDictionary<(string Folder, string Captions), string?> _firstImage = new();

    public static string Url(string sweep, long previewId) =>
        $"/references/{Uri.EscapeDataString(sweep)}/{previewId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The full path of the reference image for <paramref name="previewId"/>, or null when there is none to show.</summary>
    public async Task<string?> FindAsync(string sweep, long previewId, CancellationToken cancellationToken)
    {
        var preview = await store.FindPreviewAsync(previewId, cancellationToken);
        if (preview is null)
        {
            return null;
        }

        JobSpec spec;
        try
        {
            spec = await store.GetJobSpecAsync(sweep, preview.JobId, cancellationToken);
        }
        catch (ResultsStoreException)
        {
            return null; // planned or trained before runs recorded specs: no dataset on record
        }

        return _firstImage.GetOrAdd((spec.DatasetFolder, spec.CaptionExtension), key => FirstImage(key.Folder, key.Captions));
    }

    private static string? FirstImage(string folder, string captionExtension)
    {
        try
        {
            var dataset = DatasetScanner.Scan(folder, captionExtension);
            var first = dataset.Folders.SelectMany(subfolder => subfolder.Images).FirstOrDefault();
            return first is null ? null : Path.GetFullPath(Path.Combine(folder, first.RelativePath));
        }
        catch (Exception exception) when (exception is DatasetException or IOException or UnauthorizedAccessException)
        {
            return null; // moved or unreadable since the run: nothing to show
        }
    }
}
