using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.TestSupport;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Lora;

public class LoraFileLoaderTests
{
    /// <summary>Random kohya modules for every default slot plus the conv slots of one res block (3×3) and one 1×1 shortcut.</summary>
    static List<(string Name, Tensor Tensor)> RandomLora(StableDiffusionModel model, long rank, float alpha, long seed)
    {
        using var generator = new Generator((ulong)seed);
        var tensors = new List<(string, Tensor)>();
        var slots = model.LoraSlots(LoraTargets.All)
            .Where(s => s.Group != LoraTargets.UnetConvBlocks || s.Path.StartsWith("down_blocks.1.resnets.0.", StringComparison.Ordinal));
        foreach (var slot in slots)
        {
            long[] down = slot.Kind == LoraSlotKind.Linear ? [rank, slot.InFeatures] : [rank, slot.InFeatures, slot.KernelSize, slot.KernelSize];
            long[] up = slot.Kind == LoraSlotKind.Linear ? [slot.OutFeatures, rank] : [slot.OutFeatures, rank, 1, 1];
            tensors.Add(($"{slot.KohyaName}.lora_down.weight", randn(down, generator: generator) * 0.3));
            tensors.Add(($"{slot.KohyaName}.lora_up.weight", randn(up, generator: generator) * 0.3));
            tensors.Add(($"{slot.KohyaName}.alpha", tensor(alpha)));
        }
        return tensors;
    }

    static Tensor Run(StableDiffusionModel model)
    {
        using var generator = new Generator(9);
        using var latents = randn([1, 4, 8, 8], generator: generator);
        using var ids = randint(0, 500, [1, 77], generator: generator);
        using var t = tensor(new[] { 300L });
        using var _ = no_grad();
        using var context = model.TextEncoder.forward(ids, 1);
        return model.Unet.forward(latents, t, context);
    }

    [Fact]
    public void ASavedThenLoadedLoraGivesTheSameOutputAsTheSameAdaptersInMemory()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(31);
        var lora = RandomLora(model, rank: 4, alpha: 2, seed: 5);
        SafetensorsWriter.Write(folder.File("style.safetensors"), lora);
        var baseline = Run(model);

        // The same modules built by hand: delta = up(down(x)) · alpha/rank · weight.
        var byName = lora.ToDictionary(p => p.Name, p => p.Tensor);
        var inMemory = model.LoraSlots(LoraTargets.All).Where(s => byName.ContainsKey(s.KohyaName + ".alpha"))
            .Select(s => (Slot: s, Adapter: new LoraFileAdapter(s, byName[s.KohyaName + ".lora_down.weight"], byName[s.KohyaName + ".lora_up.weight"], 2, 0.7)))
            .ToList();
        foreach (var (slot, adapter) in inMemory) slot.Layer.Attach(adapter);
        var expected = Run(model);
        foreach (var (slot, _) in inMemory) slot.Layer.Detach();

        Tensor loaded;
        using (var attached = LoraFileLoader.Attach(folder.File("style.safetensors"), model, 0.7))
        {
            loaded = Run(model);
            Assert.Equal(inMemory.Count, attached.Slots.Count);
            Assert.Equal("style", attached.Name);
            Assert.Equal(12, attached.ShortHash.Length);
            Assert.Contains(attached.Slots, s => s.Kind == LoraSlotKind.Conv3x3);
            Assert.Contains(attached.Slots, s => s.Kind == LoraSlotKind.Conv1x1);
        }
        var afterDetach = Run(model);

        Assert.True(TestWeights.Identical(expected, loaded));
        Assert.False(TestWeights.Identical(baseline, loaded));
        Assert.True(TestWeights.Identical(baseline, afterDetach));
    }

    [Fact]
    public void TheDeltaIsUpDownTimesAlphaOverRankTimesWeight()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(32);
        var slot = model.LoraSlots(LoraTargets.TextEncoder).First();
        var down = randn(2, slot.InFeatures);
        var up = randn(slot.OutFeatures, 2);
        SafetensorsWriter.Write(folder.File("one.safetensors"),
            [($"{slot.KohyaName}.lora_down.weight", down), ($"{slot.KohyaName}.lora_up.weight", up), ($"{slot.KohyaName}.alpha", tensor(1f))]);
        var x = randn(3, slot.InFeatures);

        using var attached = LoraFileLoader.Attach(folder.File("one.safetensors"), model, 0.5);
        var delta = slot.Layer.Adapter!.Forward(x);

        var expected = x.matmul(down.t()).matmul(up.t()) * (1.0 / 2 * 0.5);
        Assert.True(delta.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void UnknownModulesAndOtherNetworkTypesAreRefusedByName()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(33);
        SafetensorsWriter.Write(folder.File("sdxl.safetensors"),
            [("lora_unet_input_blocks_4_1_proj_in.lora_down.weight", zeros(4, 64)), ("lora_unet_input_blocks_4_1_proj_in.lora_up.weight", zeros(64, 4))]);
        SafetensorsWriter.Write(folder.File("loha.safetensors"), [("lora_unet_mid_block_attentions_0_proj_in.hada_w1_a", zeros(4, 64))]);

        var unknown = Assert.Throws<LoraFileException>(() => LoraFileLoader.Attach(folder.File("sdxl.safetensors"), model));
        var loha = Assert.Throws<LoraFileException>(() => LoraFileLoader.Attach(folder.File("loha.safetensors"), model));

        Assert.Contains("lora_unet_input_blocks_4_1_proj_in", unknown.Message);
        Assert.Contains("match no layer", unknown.Message);
        Assert.Contains("hada_w1_a", loha.Message);
        Assert.Contains(folder.File("loha.safetensors"), loha.Message);
        Assert.All(model.LoraSlots(LoraTargets.All), s => Assert.Null(s.Layer.Adapter));
    }

    [Fact]
    public void AWrongShapeNamesTheKeyAndTheLayer()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(34);
        var slot = model.LoraSlots(LoraTargets.TextEncoder).First();
        SafetensorsWriter.Write(folder.File("bad.safetensors"),
            [($"{slot.KohyaName}.lora_down.weight", zeros(4, slot.InFeatures + 1)), ($"{slot.KohyaName}.lora_up.weight", zeros(slot.OutFeatures, 4))]);

        var error = Assert.Throws<LoraFileException>(() => LoraFileLoader.Attach(folder.File("bad.safetensors"), model));

        Assert.Contains($"{slot.KohyaName}.lora_down.weight", error.Message);
        Assert.Contains(slot.Path, error.Message);
    }
}
