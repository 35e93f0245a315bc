namespace SweepRunner.Training.Trainer;

/// <summary>ss_optimizer as sd-scripts writes it: the optimizer class's module and name, then "(k=v,k=v)" of optimizer_args.</summary>
public static class OptimizerNames
{
    static readonly Dictionary<string, string> Classes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AdamW"] = "torch.optim.adamw.AdamW",
        ["AdamW8bit"] = "bitsandbytes.optim.adamw.AdamW8bit",
        ["Lion"] = "lion_pytorch.lion_pytorch.Lion",
        ["Lion8bit"] = "bitsandbytes.optim.lion.Lion8bit",
        ["SGDNesterov"] = "torch.optim.sgd.SGD",
        ["DAdaptAdam"] = "dadaptation.dadapt_adam.DAdaptAdam",
        ["DAdaptation"] = "dadaptation.dadapt_adam.DAdaptAdam",
        ["Prodigy"] = "prodigyopt.prodigy.Prodigy",
        ["Adafactor"] = "transformers.optimization.Adafactor",
    };

    public static string MetadataName(string optimizerType, string? optimizerArgs)
    {
        var name = Classes.GetValueOrDefault(optimizerType, optimizerType);
        var args = Core.Settings.OptimizerArguments.Parse(optimizerArgs);
        return args.Count == 0 ? name : $"{name}({string.Join(",", args.Select(p => $"{p.Key}={p.Value}"))})";
    }
}
