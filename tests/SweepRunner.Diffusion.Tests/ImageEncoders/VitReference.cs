using SweepRunner.Diffusion.Checkpoints;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.ImageEncoders;

/// <summary>
/// An independent, naive double-precision forward pass of the CLIP vision and text towers and of DINOv2 from their
/// published architecture, over plain arrays read from the safetensors file: loops for matrices, softmax and layer norm,
/// PyTorch's bicubic kernel (A = −0.75, align_corners false, edges clamped). It shares no code with the implementation.
/// <paramref name="hidden"/>, <paramref name="heads"/> and the activation are those of the tower being run.
/// </summary>
internal sealed class VitReference(string safetensorsPath, int hidden, int heads, double eps, bool quickGelu)
{
    readonly Dictionary<string, (double[] Values, long[] Shape)> _w = Read(safetensorsPath);

    static Dictionary<string, (double[], long[])> Read(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var result = new Dictionary<string, (double[], long[])>(StringComparer.Ordinal);
        foreach (var entry in file.Entries)
        {
            using var t = file.Load(entry.Name, ScalarType.Float64);
            result[entry.Name] = (t.data<double>().ToArray(), t.shape);
        }
        return result;
    }

    double[] W(string name) => _w[name].Values;

    /// <summary>CLIP: visual_projection(post_layernorm(CLS)) for pixels [3, S, S] (flattened channel-major).</summary>
    public double[] Clip(double[] pixels, int size, int patch, int layers)
    {
        var tokens = Patches(pixels, size, patch, W("vision_model.embeddings.patch_embedding.weight"), null);
        tokens.Insert(0, W("vision_model.embeddings.class_embedding").ToArray());
        var positions = W("vision_model.embeddings.position_embedding.weight");
        for (var t = 0; t < tokens.Count; t++) for (var d = 0; d < hidden; d++) tokens[t][d] += positions[t * hidden + d];
        tokens = tokens.Select(x => Norm(x, "vision_model.pre_layrnorm")).ToList();
        for (var l = 0; l < layers; l++)
        {
            var p = $"vision_model.encoder.layers.{l}";
            var attended = Attention(tokens.Select(x => Norm(x, $"{p}.layer_norm1")).ToList(), $"{p}.self_attn.q_proj", $"{p}.self_attn.k_proj", $"{p}.self_attn.v_proj", $"{p}.self_attn.out_proj");
            tokens = tokens.Select((x, i) => Add(x, attended[i])).ToList();
            tokens = tokens.Select(x => Add(x, Mlp(Norm(x, $"{p}.layer_norm2"), $"{p}.mlp"))).ToList();
        }
        var pooled = Norm(tokens[0], "vision_model.post_layernorm");
        return Linear(pooled, "visual_projection", bias: false);
    }

    /// <summary>
    /// CLIP's text tower: token + position embeddings, pre-norm layers with causal attention, final_layer_norm, the
    /// row at the first <paramref name="eosId"/> of <paramref name="ids"/>, text_projection (no bias).
    /// </summary>
    public double[] ClipText(IReadOnlyList<int> ids, int eosId, int layers)
    {
        var (tokenTable, positions) = (W("text_model.embeddings.token_embedding.weight"), W("text_model.embeddings.position_embedding.weight"));
        var tokens = ids.Select((id, t) => Enumerable.Range(0, hidden).Select(d => tokenTable[id * hidden + d] + positions[t * hidden + d]).ToArray()).ToList();
        for (var l = 0; l < layers; l++)
        {
            var p = $"text_model.encoder.layers.{l}";
            var attended = Attention(tokens.Select(x => Norm(x, $"{p}.layer_norm1")).ToList(), $"{p}.self_attn.q_proj", $"{p}.self_attn.k_proj", $"{p}.self_attn.v_proj", $"{p}.self_attn.out_proj", causal: true);
            tokens = tokens.Select((x, i) => Add(x, attended[i])).ToList();
            tokens = tokens.Select(x => Add(x, Mlp(Norm(x, $"{p}.layer_norm2"), $"{p}.mlp"))).ToList();
        }
        var end = ids.ToList().IndexOf(eosId);
        return Linear(Norm(tokens[end], "text_model.final_layer_norm"), "text_projection", bias: false);
    }

    /// <summary>DINOv2: layernorm(CLS) for pixels [3, S, S]; position embeddings resized from <paramref name="trainedGrid"/>.</summary>
    public double[] Dino(double[] pixels, int size, int patch, int layers, int trainedGrid)
    {
        var tokens = Patches(pixels, size, patch, W("embeddings.patch_embeddings.projection.weight"), W("embeddings.patch_embeddings.projection.bias"));
        var grid = size / patch;
        tokens.Insert(0, W("embeddings.cls_token").ToArray());
        var positions = W("embeddings.position_embeddings");
        var resized = new double[(grid * grid + 1) * hidden];
        Array.Copy(positions, resized, hidden);
        for (var d = 0; d < hidden; d++)
        {
            var plane = new double[trainedGrid, trainedGrid];
            for (var y = 0; y < trainedGrid; y++) for (var x = 0; x < trainedGrid; x++) plane[y, x] = positions[(1 + y * trainedGrid + x) * hidden + d];
            var scaled = Bicubic(plane, grid);
            for (var y = 0; y < grid; y++) for (var x = 0; x < grid; x++) resized[(1 + y * grid + x) * hidden + d] = scaled[y, x];
        }
        for (var t = 0; t < tokens.Count; t++) for (var d = 0; d < hidden; d++) tokens[t][d] += resized[t * hidden + d];
        for (var l = 0; l < layers; l++)
        {
            var p = $"encoder.layer.{l}";
            var attended = Attention(tokens.Select(x => Norm(x, $"{p}.norm1")).ToList(), $"{p}.attention.attention.query", $"{p}.attention.attention.key",
                $"{p}.attention.attention.value", $"{p}.attention.output.dense");
            tokens = tokens.Select((x, i) => Add(x, Scale(attended[i], W($"{p}.layer_scale1.lambda1")))).ToList();
            tokens = tokens.Select(x => Add(x, Scale(Mlp(Norm(x, $"{p}.norm2"), $"{p}.mlp"), W($"{p}.layer_scale2.lambda1")))).ToList();
        }
        return Norm(tokens[0], "layernorm");
    }

    List<double[]> Patches(double[] pixels, int size, int patch, double[] weight, double[]? bias)
    {
        var grid = size / patch;
        var tokens = new List<double[]>();
        for (var gy = 0; gy < grid; gy++)
        for (var gx = 0; gx < grid; gx++)
        {
            var token = new double[hidden];
            for (var o = 0; o < hidden; o++)
            {
                var sum = bias?[o] ?? 0;
                for (var c = 0; c < 3; c++)
                for (var ky = 0; ky < patch; ky++)
                for (var kx = 0; kx < patch; kx++)
                    sum += weight[((o * 3 + c) * patch + ky) * patch + kx] * pixels[(c * size + gy * patch + ky) * size + gx * patch + kx];
                token[o] = sum;
            }
            tokens.Add(token);
        }
        return tokens;
    }

    List<double[]> Attention(List<double[]> x, string q, string k, string v, string output, bool causal = false)
    {
        var (qs, ks, vs) = (x.Select(t => Linear(t, q)).ToList(), x.Select(t => Linear(t, k)).ToList(), x.Select(t => Linear(t, v)).ToList());
        var headDim = hidden / heads;
        var merged = x.Select(_ => new double[hidden]).ToList();
        for (var h = 0; h < heads; h++)
            for (var i = 0; i < x.Count; i++)
            {
                var seen = causal ? i + 1 : x.Count;
                var scores = new double[seen];
                for (var j = 0; j < seen; j++)
                {
                    double dot = 0;
                    for (var d = 0; d < headDim; d++) dot += qs[i][h * headDim + d] * ks[j][h * headDim + d];
                    scores[j] = dot / Math.Sqrt(headDim);
                }
                var max = scores.Max();
                var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
                var total = exp.Sum();
                for (var j = 0; j < seen; j++)
                    for (var d = 0; d < headDim; d++) merged[i][h * headDim + d] += exp[j] / total * vs[j][h * headDim + d];
            }
        return merged.Select(t => Linear(t, output)).ToList();
    }

    double[] Mlp(double[] x, string prefix)
    {
        var up = Linear(x, prefix + ".fc1");
        var activated = up.Select(u => quickGelu ? u / (1 + Math.Exp(-1.702 * u)) : 0.5 * u * (1 + Erf(u / Math.Sqrt(2)))).ToArray();
        return Linear(activated, prefix + ".fc2");
    }

    double[] Linear(double[] x, string prefix, bool bias = true)
    {
        var (weight, shape) = _w[prefix + ".weight"];
        var b = bias ? W(prefix + ".bias") : null;
        var result = new double[shape[0]];
        for (var o = 0; o < shape[0]; o++)
        {
            var sum = b?[o] ?? 0;
            for (var i = 0; i < shape[1]; i++) sum += weight[o * shape[1] + i] * x[i];
            result[o] = sum;
        }
        return result;
    }

    double[] Norm(double[] x, string prefix)
    {
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average();
        var (w, b) = (W(prefix + ".weight"), W(prefix + ".bias"));
        return x.Select((v, i) => (v - mean) / Math.Sqrt(variance + eps) * w[i] + b[i]).ToArray();
    }

    static double[] Add(double[] a, double[] b) => a.Select((v, i) => v + b[i]).ToArray();

    static double[] Scale(double[] a, double[] s) => a.Select((v, i) => v * s[i]).ToArray();

    /// <summary>PyTorch's bicubic resize, align_corners false: source = (destination + 0.5) · in/out − 0.5, A = −0.75, indices clamped.</summary>
    static double[,] Bicubic(double[,] input, int output)
    {
        var n = input.GetLength(0);
        double Cubic(double t)
        {
            const double a = -0.75;
            t = Math.Abs(t);
            return t <= 1 ? ((a + 2) * t - (a + 3)) * t * t + 1 : t < 2 ? ((a * t - 5 * a) * t + 8 * a) * t - 4 * a : 0;
        }
        double At(int y, int x) => input[Math.Clamp(y, 0, n - 1), Math.Clamp(x, 0, n - 1)];
        var scale = (double)n / output;
        var result = new double[output, output];
        for (var oy = 0; oy < output; oy++)
        for (var ox = 0; ox < output; ox++)
        {
            var sy = (oy + 0.5) * scale - 0.5;
            var sx = (ox + 0.5) * scale - 0.5;
            var (iy, ix) = ((int)Math.Floor(sy), (int)Math.Floor(sx));
            var (ty, tx) = (sy - iy, sx - ix);
            double sum = 0;
            for (var m = -1; m <= 2; m++)
            for (var k = -1; k <= 2; k++)
                sum += Cubic(m - ty) * Cubic(k - tx) * At(iy + m, ix + k);
            result[oy, ox] = sum;
        }
        return result;
    }

    /// <summary>erf to 1e-15 by its Taylor series (|x| is small for these activations) or the continued fraction beyond.</summary>
    static double Erf(double x)
    {
        if (Math.Abs(x) > 4) return Math.Sign(x);
        double sum = x, term = x;
        for (var n = 1; n < 200; n++)
        {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
            if (Math.Abs(term) < 1e-18) break;
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }
}
