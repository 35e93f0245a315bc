namespace SweepRunner.Training.Data;

/// <summary>
/// sd-scripts' caption handling for shuffle_caption and keep_tokens: the caption is split at commas, the first
/// keep_tokens tags stay in front, the rest are shuffled, and the tags are joined with ", ".
/// </summary>
public sealed record CaptionProcessor(bool ShuffleCaption, int KeepTokens)
{
    public string Process(string caption, Random random)
    {
        ArgumentNullException.ThrowIfNull(caption);
        if (!ShuffleCaption) return caption;
        var tokens = caption.Trim().Split(',').Select(t => t.Trim()).ToList();
        var keep = Math.Min(KeepTokens, tokens.Count);
        var fixedTokens = tokens.Take(keep).ToList();
        var flexible = tokens.Skip(keep).ToList();
        DerivedRandom.Shuffle(flexible, random);
        return string.Join(", ", fixedTokens.Concat(flexible));
    }
}
