using System.Globalization;
using SweepRunner.Bench.Training;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Sampling;
using SweepRunner.Diffusion.Unet;
using static TorchSharp.torch;

// usage: SweepRunner.Bench.Training [tiny|sd15|all] [steps]
//        SweepRunner.Bench.Training lora [tiny|sd15] [steps]
// lora: complete LoRA training steps through the trainer (dim 128, fp32, batch 1): the demo config at 64×64 images
// (8×8 latents) and SD1.5 at 512×512 images (64×64 latents), with the process's peak working set.
// Times UNet forward + backward per step on CPU (fp32): the demo config at 32×32 latents batch 4 and at 64×64
// batch 1, SD1.5 at 64×64 latents (512×512 images) batch 1.
// usage: SweepRunner.Bench.Training sample [images]
// Times whole images (20 DDIM steps, CFG 7.5) through the sampling pipeline for the Tiny config at 64×64, 256×256
// and 512×512.
// usage: SweepRunner.Bench.Training autoscores [images]
// Seconds per preview of CLIP (image and prompt) and DINOv2 embeddings at the published models' sizes, random weights.
if (args.Length > 0 && args[0] == "autoscores")
{
    Console.WriteLine($"torch threads: {get_num_threads()}, logical processors: {Environment.ProcessorCount}");
    AutoScoreBenchmark.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16);
    return 0;
}

if (args.Length > 0 && args[0] == "lora")
{
    var config = args.Length > 1 ? args[1] : "tiny";
    var loraSteps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
    if (config is not ("tiny" or "sd15") || loraSteps < 1)
    {
        Console.Error.WriteLine("usage: SweepRunner.Bench.Training lora [tiny|sd15] [steps ≥ 1]");
        return 2;
    }
    Console.WriteLine($"torch threads: {get_num_threads()}, logical processors: {Environment.ProcessorCount}");
    Console.WriteLine("config | image | dim | timed steps | first step s | mean s/step | min s/step | peak working set GiB");
    var result = config == "tiny"
        ? LoraStepBenchmark.Run("Tiny", SweepRunner.Diffusion.Model.DiffusionModelConfig.Tiny, 64, 128, loraSteps)
        : LoraStepBenchmark.Run("Sd15", SweepRunner.Diffusion.Model.DiffusionModelConfig.Sd15, 512, 128, loraSteps);
    Console.WriteLine(LoraStepBenchmark.Format(result));
    return 0;
}

var which = args.Length > 0 ? args[0] : "all";
var steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
if (which is not ("tiny" or "sd15" or "all" or "sample") || steps < 1)
{
    Console.Error.WriteLine("usage: SweepRunner.Bench.Training [tiny|sd15|all] [steps ≥ 1] | sample [images ≥ 1]");
    return 2;
}

if (which == "sample")
{
    Console.WriteLine($"torch threads: {get_num_threads()}, logical processors: {Environment.ProcessorCount}, images timed after one untimed: {steps}");
    Console.WriteLine("config | image | steps | sampler | first image s | mean s/image | min s/image");
    foreach (var size in new[] { 64, 256, 512 })
    {
        var result = SamplingBenchmark.Run("Tiny", DiffusionModelConfig.Tiny, size, 20, SamplerKind.Ddim, steps, seed: 1234);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Config} | {result.Size}x{result.Size} | {result.Steps} | {result.Sampler} | {result.FirstSeconds:F3} | {result.MeanSeconds:F3} | {result.MinSeconds:F3}"));
    }

    return 0;
}

Console.WriteLine($"torch threads: {get_num_threads()}, logical processors: {Environment.ProcessorCount}, steps timed after one untimed: {steps}");
Console.WriteLine("config | gradients | batch | latents | first step s | mean s/step | min s/step");
var runs = new List<(string Name, UnetConfig Config, int Batch, int Size)>();
if (which is "tiny" or "all")
{
    runs.Add(("Tiny", UnetConfig.Tiny, 4, 32));
    runs.Add(("Tiny", UnetConfig.Tiny, 1, 64));
}

if (which is "sd15" or "all")
{
    runs.Add(("Sd15", UnetConfig.Sd15, 1, 64));
}

foreach (var (name, config, batch, size) in runs)
{
    foreach (var mode in new[] { GradientMode.FrozenWeights, GradientMode.AllWeights })
    {
        var result = UnetStepBenchmark.Run(name, config, mode, batch, size, steps, seed: 1234);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Config} | {result.Mode} | {result.Batch} | {result.LatentSize}x{result.LatentSize} | {result.FirstStepSeconds:F3} | {result.MeanSeconds:F3} | {result.MinSeconds:F3}"));
    }
}

return 0;
