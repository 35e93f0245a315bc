using SweepRunner.Diffusion.Lora;

namespace SweepRunner.Training.Optimizers;

public static class LoraParameterGroups
{
    /// <summary>
    /// The optimizer's groups as sd-scripts makes them: "unet" with <paramref name="unetLr"/> and, when the network
    /// has text encoder modules, "text_encoder" with <paramref name="textEncoderLr"/>.
    /// </summary>
    public static IReadOnlyList<ParameterGroup> ParameterGroups(this LoraNetwork network, double unetLr, double textEncoderLr)
    {
        var groups = new List<ParameterGroup>();
        var te = network.TextEncoderModules.SelectMany(m => new[] { m.Down, m.Up }).ToList();
        if (te.Count > 0) groups.Add(new ParameterGroup("text_encoder", te, textEncoderLr));
        groups.Add(new ParameterGroup("unet", network.UnetModules.SelectMany(m => new[] { m.Down, m.Up }).ToList(), unetLr));
        return groups;
    }
}
