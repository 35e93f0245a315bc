using SweepRunner.Diffusion.Modules;

namespace SweepRunner.Diffusion.Model;

/// <summary>Key names of single-file (LDM) Stable Diffusion 1.x checkpoints.</summary>
public static class CheckpointKeys
{
    public const string UnetPrefix = "model.diffusion_model.";
    public const string TextEncoderPrefix = "cond_stage_model.transformer.text_model.";
    public const string TextEncoderShortPrefix = "cond_stage_model.transformer.";
    public const string VaePrefix = "first_stage_model.";

    // LatentDiffusion's persistent schedule buffers; they travel in the file but are not network weights.
    private static readonly HashSet<string> ScheduleBuffers = new(StringComparer.Ordinal)
    {
        "betas", "alphas_cumprod", "alphas_cumprod_prev", "sqrt_alphas_cumprod", "sqrt_one_minus_alphas_cumprod",
        "log_one_minus_alphas_cumprod", "sqrt_recip_alphas_cumprod", "sqrt_recipm1_alphas_cumprod",
        "posterior_variance", "posterior_log_variance_clipped", "posterior_mean_coef1", "posterior_mean_coef2", "logvar",
    };

    /// <summary>
    /// Maps a checkpoint key to the model's parameter name: text encoder keys without <c>text_model.</c> gain it;
    /// schedule buffers, <c>model_ema.*</c> and the text encoder's <c>position_ids</c> are ignored.
    /// </summary>
    public static (string Name, KeyDisposition Disposition) Map(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (ScheduleBuffers.Contains(key) || key.StartsWith("model_ema.", StringComparison.Ordinal))
        {
            return (key, KeyDisposition.Ignore);
        }

        var name = key;
        if (key.StartsWith(TextEncoderShortPrefix, StringComparison.Ordinal) && !key.StartsWith(TextEncoderPrefix, StringComparison.Ordinal))
        {
            name = TextEncoderPrefix + key[TextEncoderShortPrefix.Length..];
        }

        return name == TextEncoderPrefix + "embeddings.position_ids" ? (name, KeyDisposition.Ignore) : (name, KeyDisposition.Load);
    }
}
