namespace SweepRunner.Diffusion.Tokenizer;

/// <summary>A prompt encoded for the CLIP text encoder.</summary>
/// <param name="Ids">Exactly <c>MaxLength</c> ids: BOS, the tokens, EOS, then padding.</param>
/// <param name="Length">Ids before the padding (BOS and EOS included).</param>
/// <param name="Truncated">True when tokens beyond <c>MaxLength - 2</c> were dropped.</param>
public sealed record ClipEncoding(IReadOnlyList<int> Ids, int Length, bool Truncated);
