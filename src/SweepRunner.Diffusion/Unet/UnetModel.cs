using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Unet;

/// <summary>
/// The LDM UNetModel as stored under <c>model.diffusion_model.</c>: <c>time_embed</c>, <c>input_blocks</c>,
/// <c>middle_block</c>, <c>output_blocks</c>, <c>out</c>. LoRA slot paths use the diffusers names
/// (<c>down_blocks</c>, <c>mid_block</c>, <c>up_blocks</c>) that kohya's LoRA keys are built from.
/// </summary>
public sealed class UnetModel : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> time_embed;
    private readonly ModuleList<UnetBlock> input_blocks;
    private readonly UnetBlock middle_block;
    private readonly ModuleList<UnetBlock> output_blocks;
    private readonly nn.Module<Tensor, Tensor> @out;

    public UnetModel(UnetConfig config, Device? device = null, ScalarType? dtype = null)
        : base(nameof(UnetModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        var baseChannels = config.BlockChannels[0];
        var levels = config.BlockChannels.Count;

        time_embed = nn.Sequential(
            ("0", nn.Linear(baseChannels, config.TimeEmbedDim, device: device, dtype: dtype)),
            ("1", nn.SiLU()),
            ("2", nn.Linear(config.TimeEmbedDim, config.TimeEmbedDim, device: device, dtype: dtype)));

        var inputs = new List<UnetBlock>
        {
            new(nn.Conv2d(config.InChannels, baseChannels, 3, padding: 1, device: device, dtype: dtype)),
        };
        var skipChannels = new Stack<long>();
        skipChannels.Push(baseChannels);
        long channels = baseChannels;
        for (var level = 0; level < levels; level++)
        {
            long levelChannels = config.BlockChannels[level];
            for (var layer = 0; layer < config.LayersPerBlock; layer++)
            {
                var resBlock = new ResBlock($"down_blocks.{level}.resnets.{layer}", channels, levelChannels, config, device, dtype);
                channels = levelChannels;
                inputs.Add(config.AttentionLevels[level]
                    ? new UnetBlock(resBlock, new SpatialTransformer($"down_blocks.{level}.attentions.{layer}", channels, config, device, dtype))
                    : new UnetBlock(resBlock));
                skipChannels.Push(channels);
            }

            if (level < levels - 1)
            {
                inputs.Add(new UnetBlock(new Downsample($"down_blocks.{level}.downsamplers.0", channels, device, dtype)));
                skipChannels.Push(channels);
            }
        }

        input_blocks = new ModuleList<UnetBlock>(inputs.ToArray());

        middle_block = new UnetBlock(
            new ResBlock("mid_block.resnets.0", channels, channels, config, device, dtype),
            new SpatialTransformer("mid_block.attentions.0", channels, config, device, dtype),
            new ResBlock("mid_block.resnets.1", channels, channels, config, device, dtype));

        var outputs = new List<UnetBlock>();
        for (var up = 0; up < levels; up++)
        {
            var level = levels - 1 - up;
            long levelChannels = config.BlockChannels[level];
            for (var layer = 0; layer <= config.LayersPerBlock; layer++)
            {
                var entries = new List<nn.Module>
                {
                    new ResBlock($"up_blocks.{up}.resnets.{layer}", channels + skipChannels.Pop(), levelChannels, config, device, dtype),
                };
                channels = levelChannels;
                if (config.AttentionLevels[level])
                {
                    entries.Add(new SpatialTransformer($"up_blocks.{up}.attentions.{layer}", channels, config, device, dtype));
                }

                if (level > 0 && layer == config.LayersPerBlock)
                {
                    entries.Add(new Upsample($"up_blocks.{up}.upsamplers.0", channels, device, dtype));
                }

                outputs.Add(new UnetBlock(entries.ToArray()));
            }
        }

        output_blocks = new ModuleList<UnetBlock>(outputs.ToArray());

        var finalConv = nn.Conv2d(channels, config.OutChannels, 3, padding: 1, device: device, dtype: dtype);
        ParameterInit.Zero(finalConv.weight);
        ParameterInit.Zero(finalConv.bias);
        @out = nn.Sequential(
            ("0", Normalization.GroupNorm(config.NormGroups, channels, config.NormEps, device, dtype)),
            ("1", nn.SiLU()),
            ("2", finalConv));
        RegisterComponents();
    }

    public UnetConfig Config { get; }

    /// <summary>
    /// Predicts noise: latents [B, in, H, W] (H, W divisible by <see cref="UnetConfig.SizeDivisor"/>), timesteps [B]
    /// (integer or float) and context [B, M, contextDim] → [B, out, H, W].
    /// </summary>
    public override Tensor forward(Tensor latents, Tensor timesteps, Tensor context)
    {
        var divisor = Config.SizeDivisor;
        if (latents.dim() != 4 || latents.shape[2] % divisor != 0 || latents.shape[3] % divisor != 0)
        {
            throw new ArgumentException($"UNet input must be [B, C, H, W] with H and W divisible by {divisor}; got [{string.Join(", ", latents.shape)}].", nameof(latents));
        }

        var owned = new List<Tensor>();
        try
        {
            var steps = timesteps.dim() == 0 ? Track(owned, timesteps.expand(latents.shape[0])) : timesteps;
            var features = Track(owned, TimestepEmbedding.Sinusoidal(steps, Config.BlockChannels[0]));
            var typed = features.dtype == latents.dtype ? features : Track(owned, features.to(latents.dtype));
            var embedding = Track(owned, time_embed.forward(typed));

            var skips = new Stack<Tensor>();
            var hidden = latents;
            foreach (var block in input_blocks)
            {
                hidden = Track(owned, block.Forward(hidden, embedding, context));
                skips.Push(hidden);
            }

            hidden = Track(owned, middle_block.Forward(hidden, embedding, context));
            foreach (var block in output_blocks)
            {
                var joined = Track(owned, cat(new[] { hidden, skips.Pop() }, 1));
                hidden = Track(owned, block.Forward(joined, embedding, context));
            }

            return @out.forward(hidden);
        }
        finally
        {
            foreach (var tensor in owned)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>
    /// The UNet's slot layers: <see cref="LoraTargets.UnetTransformer"/> gives the 192 Linear and 1×1 conv layers of
    /// the transformers (SD1.5); <see cref="LoraTargets.UnetConvBlocks"/> adds the res-block and sampler layers.
    /// </summary>
    public IEnumerable<LoraSlot> LoraSlots(LoraTargets targets = LoraTargets.UnetTransformer) =>
        Lora.LoraSlots.Enumerate(this, targets & (LoraTargets.UnetTransformer | LoraTargets.UnetConvBlocks));

    static Tensor Track(List<Tensor> owned, Tensor tensor)
    {
        owned.Add(tensor);
        return tensor;
    }
}
