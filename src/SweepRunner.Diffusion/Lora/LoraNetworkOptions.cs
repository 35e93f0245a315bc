using System.Globalization;
using SweepRunner.Core.Settings;

namespace SweepRunner.Diffusion.Lora;

/// <summary>
/// The shape of a kohya LoRA network (sd-scripts networks/lora.py create_network): rank and alpha of the Linear and
/// 1×1 conv modules, optional conv LoRA on 3×3 convs, dropout, and whether the text encoder gets modules.
/// </summary>
/// <param name="Dim">network_dim.</param>
/// <param name="Alpha">network_alpha; 0 means alpha = dim (scale 1).</param>
/// <param name="ConvDim">conv_dim: rank of the 3×3 conv modules (resnets, down/upsamplers); null for none.</param>
/// <param name="ConvAlpha">conv_alpha (sd-scripts' default 1 when conv_dim is set).</param>
/// <param name="Dropout">network_dropout on the down output while training; null for none.</param>
/// <param name="TrainTextEncoder">False for network_train_unet_only: no text encoder modules.</param>
public sealed record LoraNetworkOptions(int Dim, double Alpha, int? ConvDim = null, double ConvAlpha = 1.0, double? Dropout = null, bool TrainTextEncoder = true)
{
    /// <summary>kohya's network_args as written into ss_network_args (values as strings), empty without conv LoRA.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> NetworkArgs => ConvDim is { } convDim
        ? [new("conv_dim", convDim.ToString(CultureInfo.InvariantCulture)), new("conv_alpha", SettingFormat.Format(ConvAlpha))]
        : [];

    /// <summary>Reads network_dim, network_alpha, conv_dim, conv_alpha, network_dropout and network_train_unet_only.</summary>
    public static LoraNetworkOptions FromSettings(IReadOnlyDictionary<string, object?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var dim = Convert.ToInt32(settings.GetValueOrDefault(SettingsCatalog.NetworkDim) ?? 4L, CultureInfo.InvariantCulture);
        var alpha = Convert.ToDouble(settings.GetValueOrDefault(SettingsCatalog.NetworkAlpha) ?? 1.0, CultureInfo.InvariantCulture);
        int? convDim = settings.GetValueOrDefault(SettingsCatalog.ConvDim) is { } c ? Convert.ToInt32(c, CultureInfo.InvariantCulture) : null;
        var convAlpha = settings.GetValueOrDefault(SettingsCatalog.ConvAlpha) is { } ca ? Convert.ToDouble(ca, CultureInfo.InvariantCulture) : 1.0;
        double? dropout = settings.GetValueOrDefault(SettingsCatalog.NetworkDropout) is { } d ? Convert.ToDouble(d, CultureInfo.InvariantCulture) : null;
        var unetOnly = settings.GetValueOrDefault(SettingsCatalog.UnetOnly) is true;
        return new LoraNetworkOptions(dim, alpha, convDim, convAlpha, dropout, !unetOnly);
    }
}
