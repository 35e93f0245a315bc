using System.Globalization;
using SweepRunner.Diffusion.Unet;
using SweepRunner.Diffusion.Vae;

namespace SweepRunner.Diffusion.Model;

/// <summary>
/// Names of the same tensor in a single-file (LDM) checkpoint and in a diffusers model folder, derived from the
/// network shape rather than from a table: the UNet's <c>input_blocks.N</c> / <c>output_blocks.N</c> indices
/// depend on the layers per level and on which levels have attention, and the VAE decoder's <c>up.N</c> levels
/// run in the opposite order of diffusers' <c>up_blocks.N</c>. Names here are relative to each network
/// (UNet: after <c>model.diffusion_model.</c>; VAE: after <c>first_stage_model.</c>; text encoder: after
/// <c>cond_stage_model.transformer.</c>, where both layouts say <c>text_model.…</c>).
/// </summary>
public sealed class DiffusersKeyMap
{
    static readonly (string Ldm, string Diffusers)[] ResnetParts =
    [
        ("in_layers.0.", "norm1."),
        ("in_layers.2.", "conv1."),
        ("emb_layers.1.", "time_emb_proj."),
        ("out_layers.0.", "norm2."),
        ("out_layers.3.", "conv2."),
        ("skip_connection.", "conv_shortcut."),
    ];

    static readonly (string Ldm, string Diffusers)[] VaeAttentionParts =
    [
        ("norm.", "group_norm."),
        ("q.", "to_q."),
        ("k.", "to_k."),
        ("v.", "to_v."),
        ("proj_out.", "to_out.0."),
    ];

    // diffusers before 0.14 named the VAE attention projections query/key/value/proj_attn; such folders are still common.
    static readonly (string Old, string Current)[] OldVaeAttentionNames =
    [
        ("query.", "to_q."),
        ("key.", "to_k."),
        ("value.", "to_v."),
        ("proj_attn.", "to_out.0."),
    ];

    readonly UnetConfig _unet;
    readonly VaeConfig _vae;

    public DiffusersKeyMap(UnetConfig unet, VaeConfig vae)
    {
        ArgumentNullException.ThrowIfNull(unet);
        ArgumentNullException.ThrowIfNull(vae);
        _unet = unet;
        _vae = vae;
    }

    /// <summary>The map for <paramref name="config"/>'s UNet and VAE.</summary>
    public static DiffusersKeyMap For(DiffusionModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new DiffusersKeyMap(config.Unet, config.Vae);
    }

    /// <summary>
    /// The diffusers component and name of a full single-file key (<c>model.diffusion_model.…</c>,
    /// <c>cond_stage_model.transformer.text_model.…</c>, <c>first_stage_model.…</c>); null for keys outside the
    /// three networks or not of this shape.
    /// </summary>
    public (ModelComponent Component, string Name)? ToDiffusers(string ldmKey)
    {
        ArgumentNullException.ThrowIfNull(ldmKey);
        if (ldmKey.StartsWith(CheckpointKeys.UnetPrefix, StringComparison.Ordinal))
            return UnetToDiffusers(ldmKey[CheckpointKeys.UnetPrefix.Length..]) is { } unet ? (ModelComponent.Unet, unet) : null;
        if (ldmKey.StartsWith(CheckpointKeys.VaePrefix, StringComparison.Ordinal))
            return VaeToDiffusers(ldmKey[CheckpointKeys.VaePrefix.Length..]) is { } vae ? (ModelComponent.Vae, vae) : null;
        if (ldmKey.StartsWith(CheckpointKeys.TextEncoderShortPrefix, StringComparison.Ordinal))
            return TextEncoderToDiffusers(ldmKey[CheckpointKeys.TextEncoderShortPrefix.Length..]) is { } text ? (ModelComponent.TextEncoder, text) : null;
        return null;
    }

    /// <summary>The relative diffusers name of a relative LDM name of <paramref name="component"/>, or null.</summary>
    public string? ToDiffusers(ModelComponent component, string relativeName) => component switch
    {
        ModelComponent.Unet => UnetToDiffusers(relativeName),
        ModelComponent.Vae => VaeToDiffusers(relativeName),
        ModelComponent.TextEncoder => TextEncoderToDiffusers(relativeName),
        _ => throw new ArgumentOutOfRangeException(nameof(component), component, null),
    };

    /// <summary>
    /// A diffusers key as the current diffusers version names it: the VAE attention names of diffusers before 0.14
    /// (query, key, value, proj_attn) become to_q, to_k, to_v, to_out.0.
    /// </summary>
    public static string NormalizeDiffusersName(ModelComponent component, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (component != ModelComponent.Vae) return name;
        foreach (var part in new[] { "encoder.mid_block.attentions.0.", "decoder.mid_block.attentions.0." })
        {
            if (!name.StartsWith(part, StringComparison.Ordinal)) continue;
            var rest = name[part.Length..];
            foreach (var (old, current) in OldVaeAttentionNames)
                if (rest.StartsWith(old, StringComparison.Ordinal))
                    return part + current + rest[old.Length..];
        }
        return name;
    }

    /// <summary>Text encoder: both layouts use the Hugging Face CLIPTextModel names (<c>text_model.…</c>).</summary>
    public static string? TextEncoderToDiffusers(string name) =>
        name.StartsWith("text_model.", StringComparison.Ordinal) ? name : null;

    /// <summary>UNet: <c>input_blocks</c>, <c>middle_block</c>, <c>output_blocks</c>, <c>time_embed</c>, <c>out</c> → diffusers.</summary>
    public string? UnetToDiffusers(string name)
    {
        var parts = name.Split('.');
        if (parts.Length < 3) return null;
        var layers = _unet.LayersPerBlock;
        var levels = _unet.BlockChannels.Count;
        switch (parts[0])
        {
            case "time_embed":
                return parts[1] switch
                {
                    "0" => Join("time_embedding.linear_1", parts, 2),
                    "2" => Join("time_embedding.linear_2", parts, 2),
                    _ => null,
                };
            case "out":
                return parts[1] switch
                {
                    "0" => Join("conv_norm_out", parts, 2),
                    "2" => Join("conv_out", parts, 2),
                    _ => null,
                };
            case "input_blocks" when parts.Length >= 4 && Index(parts[1]) is { } block && Index(parts[2]) is { } child:
            {
                if (block == 0)
                    return child == 0 ? Join("conv_in", parts, 3) : null;
                var level = (block - 1) / (layers + 1);
                var layer = (block - 1) % (layers + 1);
                if (level >= levels) return null;
                if (layer == layers)
                    return level < levels - 1 && child == 0 && parts[3] == "op" ? Join($"down_blocks.{level}.downsamplers.0.conv", parts, 4) : null;
                return child switch
                {
                    0 => Resnet($"down_blocks.{level}.resnets.{layer}", parts, 3),
                    1 when _unet.AttentionLevels[level] => Join($"down_blocks.{level}.attentions.{layer}", parts, 3),
                    _ => null,
                };
            }
            case "middle_block" when Index(parts[1]) is { } child:
                return child switch
                {
                    0 => Resnet("mid_block.resnets.0", parts, 2),
                    1 => Join("mid_block.attentions.0", parts, 2),
                    2 => Resnet("mid_block.resnets.1", parts, 2),
                    _ => null,
                };
            case "output_blocks" when parts.Length >= 4 && Index(parts[1]) is { } block && Index(parts[2]) is { } child:
            {
                var up = block / (layers + 1);
                var layer = block % (layers + 1);
                if (up >= levels) return null;
                var hasAttention = _unet.AttentionLevels[levels - 1 - up];
                var hasUpsampler = layer == layers && up < levels - 1;
                var upsamplerChild = hasAttention ? 2 : 1;
                if (child == 0) return Resnet($"up_blocks.{up}.resnets.{layer}", parts, 3);
                if (child == 1 && hasAttention) return Join($"up_blocks.{up}.attentions.{layer}", parts, 3);
                if (child == upsamplerChild && hasUpsampler && parts[3] == "conv") return Join($"up_blocks.{up}.upsamplers.0.conv", parts, 4);
                return null;
            }
            default:
                return null;
        }
    }

    /// <summary>VAE: <c>encoder.down.N</c>, <c>decoder.up.N</c> (reversed), <c>mid.block_1/attn_1/block_2</c> → diffusers.</summary>
    public string? VaeToDiffusers(string name)
    {
        if (name.StartsWith("quant_conv.", StringComparison.Ordinal) || name.StartsWith("post_quant_conv.", StringComparison.Ordinal))
            return name;
        var parts = name.Split('.');
        if (parts.Length < 3 || parts[0] is not ("encoder" or "decoder")) return null;
        var part = parts[0];
        var levels = _vae.BlockChannels.Count;
        switch (parts[1])
        {
            case "conv_in" or "conv_out":
                return name;
            case "norm_out":
                return Join($"{part}.conv_norm_out", parts, 2);
            case "mid" when parts.Length >= 4:
                return parts[2] switch
                {
                    "block_1" => VaeResnet($"{part}.mid_block.resnets.0", parts, 3),
                    "block_2" => VaeResnet($"{part}.mid_block.resnets.1", parts, 3),
                    "attn_1" => Renamed($"{part}.mid_block.attentions.0.", string.Join('.', parts[3..]) + ".", VaeAttentionParts),
                    _ => null,
                };
            case "down" when part == "encoder" && parts.Length >= 5 && Index(parts[2]) is { } downLevel && downLevel < levels:
                if (parts[3] == "block" && Index(parts[4]) is { } downLayer)
                    return VaeResnet($"encoder.down_blocks.{downLevel}.resnets.{downLayer}", parts, 5);
                return parts[3] == "downsample" && parts[4] == "conv" && downLevel < levels - 1
                    ? Join($"encoder.down_blocks.{downLevel}.downsamplers.0.conv", parts, 5)
                    : null;
            case "up" when part == "decoder" && parts.Length >= 5 && Index(parts[2]) is { } level && level < levels:
            {
                var upBlock = levels - 1 - level;
                if (parts[3] == "block" && Index(parts[4]) is { } upLayer)
                    return VaeResnet($"decoder.up_blocks.{upBlock}.resnets.{upLayer}", parts, 5);
                return parts[3] == "upsample" && parts[4] == "conv" && level > 0
                    ? Join($"decoder.up_blocks.{upBlock}.upsamplers.0.conv", parts, 5)
                    : null;
            }
            default:
                return null;
        }
    }

    static string? Resnet(string prefix, string[] parts, int from) =>
        Renamed(prefix + ".", string.Join('.', parts[from..]) + ".", ResnetParts);

    static string? VaeResnet(string prefix, string[] parts, int from)
    {
        var rest = string.Join('.', parts[from..]);
        if (rest.StartsWith("nin_shortcut.", StringComparison.Ordinal))
            return $"{prefix}.conv_shortcut.{rest["nin_shortcut.".Length..]}";
        return rest.Split('.')[0] is "norm1" or "conv1" or "norm2" or "conv2" ? $"{prefix}.{rest}" : null;
    }

    static string? Renamed(string prefix, string restWithDot, (string From, string To)[] renames)
    {
        foreach (var (from, to) in renames)
            if (restWithDot.StartsWith(from, StringComparison.Ordinal))
                return (prefix + to + restWithDot[from.Length..]).TrimEnd('.');
        return null;
    }

    static string Join(string prefix, string[] parts, int from) =>
        from >= parts.Length ? prefix : prefix + "." + string.Join('.', parts[from..]);

    static int? Index(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
