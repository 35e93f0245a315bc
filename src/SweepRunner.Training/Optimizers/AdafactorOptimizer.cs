using SweepRunner.Core.Settings;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// Adafactor (arXiv 1804.04235) as transformers.optimization.Adafactor implements it, with sd-scripts' handling of
/// its arguments. Per parameter and step t: ρ = min(1e-2 (1e-6·t under warmup_init), 1/√t) under relative_step,
/// else the group's learning rate; α = max(ε2, RMS(θ))·ρ under scale_parameter, else ρ; β2ₜ = 1 − t^decay_rate;
/// the second moment of g² + ε1 is factored into row and column means for parameters of two or more dimensions;
/// u = g/√v̂, u ← u / max(1, RMS(u)/clip_threshold), u ← α·u (then an EMA with beta1 when given);
/// θ ← θ − λ·α·θ − u. Under relative_step the learning rate is ignored and <see cref="IgnoresLearningRate"/> is true;
/// <see cref="LoraOptimizerBase.EffectiveLearningRate"/> reports α of the group's first parameter, as
/// transformers' AdafactorSchedule does. State per parameter: step; exp_avg_sq_row and exp_avg_sq_col, or exp_avg_sq;
/// exp_avg when beta1 is given.
/// </summary>
public sealed class AdafactorOptimizer : LoraOptimizerBase
{
    readonly Options options;

    public AdafactorOptimizer(IReadOnlyList<ParameterGroup> groups, Options options)
        : base(OptimizerRegistry.Adafactor.Name, groups)
    {
        if (options.WarmupInit && !options.RelativeStep)
        {
            throw new ArgumentException($"{OptimizerRegistry.Adafactor.Name}: warmup_init=True requires relative_step=True", nameof(options));
        }

        this.options = options;
    }

    public override bool IgnoresLearningRate => options.RelativeStep;

    /// <summary>
    /// transformers' defaults with sd-scripts' relative_step=True: eps (1e-30, 1e-3), clip_threshold 1.0,
    /// decay_rate −0.8, beta1 None, weight_decay 0, scale_parameter True, relative_step True, warmup_init False.
    /// </summary>
    public sealed record Options(
        double Eps1 = 1e-30,
        double Eps2 = 1e-3,
        double ClipThreshold = 1.0,
        double DecayRate = -0.8,
        double? Beta1 = null,
        double WeightDecay = 0,
        bool ScaleParameter = true,
        bool RelativeStep = true,
        bool WarmupInit = false)
    {
        /// <summary>As sd-scripts: relative_step defaults to True, and warmup_init=True turns it on.</summary>
        public static Options Parse(OptimizerArgumentValues args)
        {
            var (eps1, eps2) = args.Pair("eps", (1e-30, 1e-3));
            var clipThreshold = args.Double("clip_threshold", 1.0);
            var decayRate = args.Double("decay_rate", -0.8);
            var beta1 = args.NullableDouble("beta1", null);
            var weightDecay = args.Double("weight_decay", 0);
            var scaleParameter = args.Bool("scale_parameter", true);
            var relativeStep = args.Bool("relative_step", true);
            var warmupInit = args.Bool("warmup_init", false);
            return new Options(eps1, eps2, clipThreshold, decayRate, beta1, weightDecay, scaleParameter, relativeStep || warmupInit, warmupInit);
        }
    }

    protected override void StepCore()
    {
        foreach (var (g, i, parameter, grad) in ParametersWithGrad())
        {
            var stepKey = ParameterKey(g, i, "step");
            var step = State.Counter(stepKey) + 1;
            State.SetCounter(stepKey, step);
            var factored = parameter.dim() >= 2;
            var lr = StepSize(step, Rms(parameter), Groups[g].LearningRate);
            if (i == 0)
            {
                SetEffectiveLearningRate(g, lr);
            }

            var beta2t = 1.0 - Math.Pow(step, options.DecayRate);
            var squared = grad.square().add_(options.Eps1);
            Tensor update;
            if (factored)
            {
                var row = State.GetOrAdd(ParameterKey(g, i, "exp_avg_sq_row"), () => zeros(RowShape(parameter.shape), ScalarType.Float32));
                var column = State.GetOrAdd(ParameterKey(g, i, "exp_avg_sq_col"), () => zeros(ColumnShape(parameter.shape), ScalarType.Float32));
                row.mul_(beta2t).add_(squared.mean([-1]), alpha: 1.0 - beta2t);
                column.mul_(beta2t).add_(squared.mean([-2]), alpha: 1.0 - beta2t);
                var rowFactor = (row / row.mean([-1], keepdim: true)).rsqrt_().unsqueeze(-1);
                var columnFactor = column.unsqueeze(-2).rsqrt();
                update = (rowFactor * columnFactor).mul_(grad);
            }
            else
            {
                var expAvgSq = State.GetOrAdd(ParameterKey(g, i, "exp_avg_sq"), () => zeros_like(parameter));
                expAvgSq.mul_(beta2t).add_(squared, alpha: 1.0 - beta2t);
                update = expAvgSq.rsqrt().mul_(grad);
            }

            update.div_((Rms(update) / options.ClipThreshold).clamp_(min: 1.0));
            update.mul_(lr);
            if (options.Beta1 is { } beta1)
            {
                var expAvg = State.GetOrAdd(ParameterKey(g, i, "exp_avg"), () => zeros_like(parameter));
                expAvg.mul_(beta1).add_(update, alpha: 1 - beta1);
                update = expAvg;
            }

            if (options.WeightDecay != 0)
            {
                parameter.add_(parameter, alpha: -options.WeightDecay * lr);
            }

            parameter.sub_(update);
        }
    }

    private protected override IReadOnlyDictionary<string, StateEntry> ParameterEntries(Parameter parameter)
    {
        var entries = new Dictionary<string, StateEntry> { ["step"] = StateEntry.CounterEntry };
        if (parameter.dim() >= 2)
        {
            entries["exp_avg_sq_row"] = StateEntry.Float32(RowShape(parameter.shape));
            entries["exp_avg_sq_col"] = StateEntry.Float32(ColumnShape(parameter.shape));
        }
        else
        {
            entries["exp_avg_sq"] = StateEntry.Float32(parameter.shape);
        }

        if (options.Beta1 is not null)
        {
            entries["exp_avg"] = StateEntry.Float32(parameter.shape);
        }

        return entries;
    }

    /// <summary>transformers' _get_lr: the relative (or given) step size times the parameter scale.</summary>
    double StepSize(long step, Tensor parameterRms, double learningRate)
    {
        var relative = learningRate;
        if (options.RelativeStep)
        {
            var minStep = options.WarmupInit ? 1e-6 * step : 1e-2;
            relative = Math.Min(minStep, 1.0 / Math.Sqrt(step));
        }

        var scale = options.ScaleParameter ? Math.Max(options.Eps2, parameterRms.item<float>()) : 1.0;
        return scale * relative;
    }

    static Tensor Rms(Tensor tensor) => tensor.norm(2.0f) / Math.Sqrt(tensor.numel());

    static long[] RowShape(long[] shape) => shape[..^1];

    static long[] ColumnShape(long[] shape) => [.. shape[..^2], shape[^1]];
}
