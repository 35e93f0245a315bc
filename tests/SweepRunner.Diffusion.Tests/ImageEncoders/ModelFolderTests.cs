using SweepRunner.DemoBuilder;
using SweepRunner.Diffusion.ImageEncoders;
using static SweepRunner.Diffusion.Tests.ImageEncoders.EncoderFiles;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.ImageEncoders;

/// <summary>A folder that is not the model it should be is refused, naming the file, the key and what to do.</summary>
public sealed class ModelFolderTests : IDisposable
{
    readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    string Dino(string name = "dino") => RandomImageEncoders.WriteDino(Path.Combine(_folder.Path, name), 11, imageSize: 28);

    string Clip(string name = "clip") => RandomImageEncoders.WriteClip(Path.Combine(_folder.Path, name), 12, Captions);

    static string Refused(Action load) => Assert.Throws<ImageEncoderException>(load).Message;

    [Fact]
    public void AMissingKeyIsNamedWithTheWeightsFile()
    {
        var folder = Dino();
        EditWeights(folder, tensors => [.. tensors.Where(t => t.Name != "encoder.layer.1.layer_scale2.lambda1").Select(t => (t.Name, t.Tensor.alias()))]);

        var message = Refused(() => DinoEmbedder.Load(folder));

        Assert.Contains(Path.Combine(folder, "model.safetensors"), message);
        Assert.Contains("missing parameters (not in the file): encoder.layer.1.layer_scale2.lambda1", message);
        Assert.Contains("Download the model's config.json and model.safetensors together", message);
    }

    [Fact]
    public void AnUnexpectedKeyIsNamed()
    {
        var folder = Clip();
        EditWeights(folder, tensors => [.. tensors.Select(t => (t.Name, t.Tensor.alias())), ("vision_model.encoder.layers.2.mlp.fc1.bias", zeros(64))]);

        var message = Refused(() => ClipEmbedder.Load(folder));

        Assert.Contains(Path.Combine(folder, "model.safetensors"), message);
        Assert.Contains("unknown keys (no such parameter): vision_model.encoder.layers.2.mlp.fc1.bias", message);
    }

    [Fact]
    public void AWrongShapeIsNamedWithBothShapes()
    {
        var folder = Clip();
        EditWeights(folder, tensors => [.. tensors.Select(t => t.Name == "visual_projection.weight" ? (t.Name, zeros(17, 32)) : (t.Name, t.Tensor.alias()))]);

        var message = Refused(() => ClipEmbedder.Load(folder));

        Assert.Contains(Path.Combine(folder, "model.safetensors"), message);
        Assert.Contains("visual_projection.weight: expected [16, 32], file has [17, 32]", message);
    }

    [Fact]
    public void AFolderOfTheOtherModelOrWithoutItsFilesSaysWhatToDownload()
    {
        var clip = Clip();
        var dino = Dino();
        Assert.Contains("is a 'clip' model, not 'dinov2'; give the folder of a DINOv2 model such as facebook/dinov2-base", Refused(() => DinoEmbedder.Load(clip)));
        Assert.Contains("is a 'dinov2' model, not 'clip'; give the folder of a CLIP model such as openai/clip-vit-large-patch14", Refused(() => ClipEmbedder.Load(dino)));
        Assert.Contains("does not exist; download a CLIP model", Refused(() => ClipEmbedder.Load(Path.Combine(_folder.Path, "nowhere"))));

        File.Delete(Path.Combine(dino, "model.safetensors"));
        Assert.Contains($"'{Path.Combine(dino, "model.safetensors")}' does not exist; download model.safetensors", Refused(() => DinoEmbedder.Load(dino)));
        File.Delete(Path.Combine(clip, "merges.txt"));
        Assert.Contains($"'{Path.Combine(clip, "merges.txt")}' does not exist; download the model's tokenizer files", Refused(() => ClipEmbedder.Load(clip)));
        File.Delete(Path.Combine(clip, "config.json"));
        Assert.Contains($"'{Path.Combine(clip, "config.json")}' does not exist; the folder needs config.json and model.safetensors of a CLIP model", Refused(() => ClipEmbedder.Load(clip)));
    }

    [Fact]
    public void ConfigValuesThatCannotBeUsedAreRefusedNamingTheField()
    {
        var dino = Dino();
        EditConfig(dino, config => config["use_swiglu_ffn"] = true);
        Assert.Contains("use_swiglu_ffn is true", Refused(() => DinoEmbedder.Load(dino)));
        EditConfig(dino, config => { config["use_swiglu_ffn"] = false; config["hidden_size"] = "32"; });
        Assert.Contains("config.json': 'hidden_size' is \"32\", expected a whole number", Refused(() => DinoEmbedder.Load(dino)));
        EditConfig(dino, config => { config["hidden_size"] = 32; config["hidden_act"] = "silu"; });
        Assert.Contains("hidden_act 'silu' is not supported", Refused(() => DinoEmbedder.Load(dino)));

        var clip = Clip();
        EditConfig(clip, config => config["text_config"]!["eos_token_id"] = 5);
        Assert.Contains("text_config eos_token_id is 5 but vocab.json's <|endoftext|> is", Refused(() => ClipEmbedder.Load(clip)));
        EditConfig(clip, config => { config["text_config"]!["eos_token_id"] = 2; config["vision_config"]!["num_hidden_layers"] = 3; });
        Assert.Contains("missing parameters (not in the file): vision_model.encoder.layers.2.", Refused(() => ClipEmbedder.Load(clip)));
    }

    [Fact]
    public void OldClipConfigsAreReadFromTheirConfigDictSections()
    {
        // Older files carry vision_config_dict beside vision_config; transformers builds the section from the _dict one.
        var clip = Clip();
        EditConfig(clip, config =>
        {
            var vision = config["vision_config"]!.DeepClone();
            config["vision_config_dict"] = vision;
            config["vision_config"]!["num_hidden_layers"] = 7;
        });
        using var loaded = ClipEmbedder.Load(clip);
        Assert.Equal(2, loaded.Vision.Layers);
    }
}
