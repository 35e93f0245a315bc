using SweepRunner.Training.Optimizers;
using TorchSharp;
using static SweepRunner.Training.Tests.Optimizers.OptimizerTestSupport;
using static TorchSharp.torch;

namespace SweepRunner.Training.Tests.Optimizers;

public class EightBitTests
{
    [Fact]
    public void DynamicMapsHaveBitsandbytesValues()
    {
        var signed = DynamicQuantizationMap.Signed;
        var unsigned = DynamicQuantizationMap.Unsigned;
        Assert.Equal(256, signed.Count);
        Assert.Equal(256, unsigned.Count);
        Assert.Equal(signed.Order(), signed);
        Assert.Equal(unsigned.Order(), unsigned);
        Assert.Equal(256, signed.Distinct().Count());
        Assert.Equal(256, unsigned.Distinct().Count());

        // Signed: 127 negative and 127 positive values, 0 and 1. The coarsest step is the top decade:
        // 64 midpoints of linspace(0.1, 1, 65); the finest value is 1e-6 times the midpoint of [0.1, 1].
        Assert.Equal(127, signed.Count(value => value < 0));
        Assert.Equal(1f, signed[^1]);
        Assert.Equal(0.99296875f, signed[^2], 6);
        Assert.Equal(-0.99296875f, signed[0], 6);
        Assert.Equal(5.5e-7f, signed.Where(value => value > 0).Min(), 12);

        // Unsigned: no negatives and twice as many fractions per decade: 128 midpoints of linspace(0.1, 1, 129) on top.
        Assert.Equal(0f, unsigned[0]);
        Assert.Equal(1f, unsigned[^1]);
        Assert.Equal(1 - 0.9 / 256, unsigned[^2], 6);
        Assert.Equal(3.25e-7f, unsigned[1], 12);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void QuantizationRoundTripErrorIsBoundedPerBlock(bool signed)
    {
        using var scope = NewDisposeScope();
        const int n = 3 * BlockwiseQuantizer.BlockSize + 77;
        var generator = new Generator(11);
        // Blocks of very different magnitudes, as Adam's moments have.
        var values = randn(n, generator: generator) * pow(10.0, arange(n, ScalarType.Float32).div(BlockwiseQuantizer.BlockSize, rounding_mode: RoundingMode.floor) - 3);
        if (!signed)
        {
            values = values.square();
        }

        var mapValues = signed ? DynamicQuantizationMap.Signed : DynamicQuantizationMap.Unsigned;
        var map = DynamicQuantizationMap.AsTensor(mapValues);
        var (codes, absmax) = BlockwiseQuantizer.Quantize(values, map);
        var restored = BlockwiseQuantizer.Dequantize(codes, absmax, map);
        Assert.Equal(ScalarType.Byte, codes.dtype);
        Assert.Equal(4, absmax.shape[0]);

        var x = Values(values);
        var y = Values(restored);
        var code = codes.to(ScalarType.Int64).data<long>().ToArray();
        var scales = Values(absmax);
        for (var block = 0; block < 4; block++)
        {
            var start = block * BlockwiseQuantizer.BlockSize;
            var end = Math.Min(n, start + BlockwiseQuantizer.BlockSize);
            var blockMax = Enumerable.Range(start, end - start).Max(j => Math.Abs(x[j]));
            Assert.Equal(blockMax, scales[block], blockMax * 1e-7);
            for (var j = start; j < end; j++)
            {
                // Never worse than half the widest gap of the map (the top decade), relative to the block's absmax,
                // and the code is the nearest map entry.
                Assert.True(Math.Abs(x[j] - y[j]) <= blockMax * (0.9 / (signed ? 128 : 256) + 1e-6), $"element {j}: {x[j]} came back as {y[j]}");
                var scaled = x[j] / scales[block];
                var best = Enumerable.Range(0, 256).MinBy(c => Math.Abs(mapValues[c] - scaled));
                Assert.True(Math.Abs(mapValues[(int)code[j]] - scaled) <= Math.Abs(mapValues[best] - scaled) + 1e-7, $"element {j} did not get the nearest code");
            }

            // The block's largest magnitude maps to 1 (exact) or, when negative, to the signed map's −0.99296875.
            var largest = Enumerable.Range(start, end - start).MaxBy(j => Math.Abs(x[j]));
            Assert.Equal(x[largest] > 0 ? x[largest] : x[largest] * 0.99296875, y[largest], Math.Abs(x[largest]) * 1e-6);
        }
    }

    [Fact]
    public void AllZeroBlocksRoundTripToZero()
    {
        using var scope = NewDisposeScope();
        var map = DynamicQuantizationMap.AsTensor(DynamicQuantizationMap.Signed);
        var (codes, absmax) = BlockwiseQuantizer.Quantize(zeros(300), map);
        Assert.Equal([1.0, 1.0], Values(absmax));
        Assert.True(BlockwiseQuantizer.Dequantize(codes, absmax, map).eq(0).all().item<bool>());
    }

    [Fact]
    public void KeepingTheSignTurnsTinyNegativeValuesIntoTheSmallestNegativeCode()
    {
        using var scope = NewDisposeScope();
        var map = DynamicQuantizationMap.AsTensor(DynamicQuantizationMap.Signed);
        var values = tensor(new[] { 1.0f, -1e-9f, 1e-9f, -0.5f });
        var smallestNegative = DynamicQuantizationMap.Signed.Where(value => value < 0).Max();

        var (plain, absmax) = BlockwiseQuantizer.Quantize(values, map);
        Assert.Equal([1.0, 0.0, 0.0], Values(BlockwiseQuantizer.Dequantize(plain, absmax, map))[..3]);

        var (signed, signedAbsmax) = BlockwiseQuantizer.Quantize(values, map, keepSign: true);
        var restored = Values(BlockwiseQuantizer.Dequantize(signed, signedAbsmax, map));
        Assert.Equal((double)smallestNegative, restored[1]);
        Assert.Equal(0.0, restored[2]);
        Assert.Equal(Values(BlockwiseQuantizer.Dequantize(plain, absmax, map))[3], restored[3]);
    }

    [Fact]
    public void AdamW8bitTrajectoryStaysCloseToFp32AdamW()
    {
        const string eightBit = "AdamW8bit", fp32 = "AdamW";
        const double lr = 1e-3;
        using var quantized = new LeastSquaresProblem(seed: 13);
        using var exact = new LeastSquaresProblem(seed: 13);
        using var optimizer8 = OptimizerFactory.Create(eightBit, quantized.Groups(lr), null);
        using var optimizer32 = OptimizerFactory.Create(fp32, exact.Groups(lr), null);
        using var start = quantized.Weight.detach().clone();
        for (var step = 0; step < 300; step++)
        {
            quantized.TrainStep(optimizer8);
            exact.TrainStep(optimizer32);
        }

        using var scope = NewDisposeScope();
        var travelled = (exact.Weight - start).norm().item<float>();
        var apart = (quantized.Weight - exact.Weight).norm().item<float>();
        Assert.True(apart < 0.05 * travelled, $"{eightBit} ended {apart} from {fp32}, which travelled {travelled}");
        Assert.True(quantized.CurrentLoss() < 1.5 * exact.CurrentLoss() + 1e-3, $"{eightBit} loss {quantized.CurrentLoss()} vs {fp32} {exact.CurrentLoss()}");

        // The small bias kept fp32 state and so followed the same rule; the large weight did not.
        Assert.False(quantized.Weight.equal(exact.Weight).all().item<bool>());
    }

    [Fact]
    public void AdamW8bitKeepsCodesAndAbsmaxForLargeParametersAndFp32StateForSmallOnes()
    {
        using var problem = new LeastSquaresProblem(seed: 17);
        using var optimizer = OptimizerFactory.Create("AdamW8bit", problem.Groups(1e-3), null);
        problem.TrainStep(optimizer);
        using var scope = NewDisposeScope();
        var state = optimizer.StateDict();
        Assert.Equal(ScalarType.Byte, state["0.0.state1"].dtype);
        Assert.Equal([64L, 128], state["0.0.state1"].shape);
        Assert.Equal(ScalarType.Byte, state["0.0.state2"].dtype);
        Assert.Equal([8192L / BlockwiseQuantizer.BlockSize], state["0.0.absmax1"].shape);
        Assert.Equal([8192L / BlockwiseQuantizer.BlockSize], state["0.0.absmax2"].shape);
        Assert.Equal(ScalarType.Float32, state["0.1.exp_avg"].dtype);
        Assert.Equal([64L], state["0.1.exp_avg_sq"].shape);
        Assert.Equal(1L, state["0.0.step"].item<long>());
        Assert.False(state.ContainsKey("0.0.exp_avg"));
    }

    [Fact]
    public void SmallParametersFollowAdamWExactly()
    {
        using var a = Param(Initial(100), 10, 10);
        using var b = Param(Initial(100), 10, 10);
        using var eightBit = OptimizerFactory.Create("AdamW8bit", [Group("unet", 1e-2, a)], "weight_decay=0.1");
        using var fp32 = OptimizerFactory.Create("AdamW", [Group("unet", 1e-2, b)], "weight_decay=0.1");
        for (var step = 0; step < 4; step++)
        {
            eightBit.ZeroGrad();
            fp32.ZeroGrad();
            SetGrad(a, Gradient(step, 100));
            SetGrad(b, Gradient(step, 100));
            eightBit.Step();
            fp32.Step();
        }

        Assert.Equal(Values(b), Values(a));
    }

    [Fact]
    public void Min8BitSizeSelectsWhichParametersAreQuantized()
    {
        using var a = Param(Initial(100), 10, 10);
        using var optimizer = OptimizerFactory.Create("AdamW8bit", [Group("unet", 1e-2, a)], "min_8bit_size=64");
        optimizer.ZeroGrad();
        SetGrad(a, Gradient(0, 100));
        optimizer.Step();
        using var scope = NewDisposeScope();
        var state = optimizer.StateDict();
        Assert.Equal([1L], state["0.0.absmax1"].shape);
        Assert.Equal(ScalarType.Byte, state["0.0.state2"].dtype);
    }
}
