using SweepRunner.Core.Settings;
using SweepRunner.Training.Optimizers;
using SweepRunner.Training.Trainer;
using static SweepRunner.Training.Tests.Optimizers.OptimizerTestSupport;

namespace SweepRunner.Training.Tests.Optimizers;

/// <summary>Core's optimizer registry and Training's factories describe the same optimizers.</summary>
public class OptimizerRegistryTests
{
    public static TheoryData<string> Spellings => [.. OptimizerRegistry.Spellings];

    [Fact]
    public void EveryRegistryEntryHasExactlyOneFactoryAndEveryFactoryAnEntry()
    {
        foreach (var entry in OptimizerRegistry.All)
            Assert.True(OptimizerFactory.Registrations.Count(r => ReferenceEquals(r.Entry, entry)) == 1, $"{entry.Name} needs exactly one factory");
        foreach (var registration in OptimizerFactory.Registrations)
            Assert.True(OptimizerRegistry.All.Count(e => ReferenceEquals(e, registration.Entry)) == 1, $"the factory of {registration.Entry.Name} has no registry entry");
        Assert.Equal(OptimizerRegistry.All.Count, OptimizerFactory.Registrations.Count);
    }

    [Fact]
    public void NamesAndAliasesAreUniqueIgnoringCase()
    {
        Assert.Equal(OptimizerRegistry.Spellings.Count, OptimizerRegistry.Spellings.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(OptimizerRegistry.Spellings, SettingsCatalog.Get(SettingsCatalog.Optimizer).Choices);
    }

    /// <summary>Each optimizer reads exactly the keys its registry grammar lists, so the grammar planning checks is the one training applies.</summary>
    [Theory]
    [MemberData(nameof(Spellings))]
    public void EachFactoryBuildsItsEntryUnderEveryNameAndReadsExactlyTheKeysOfItsGrammar(string spelling)
    {
        var entry = OptimizerRegistry.Find(spelling.ToLowerInvariant())!;
        var args = OptimizerArguments.Validate(spelling.ToUpperInvariant(), null);
        using var a = Param(Initial(4), 4);
        using var optimizer = OptimizerFactory.Registrations.Single(r => ReferenceEquals(r.Entry, entry)).Build(args.Optimizer, [Group("unet", 1.0, a)], args);
        Assert.Equal(spelling, optimizer.Name);
        Assert.Equal(entry.Arguments.Select(x => x.Key).Order(StringComparer.Ordinal), args.KeysRead.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public void TheMetadataNameIsTheRegistryEntrysClass(string spelling)
    {
        var entry = OptimizerRegistry.Find(spelling)!;
        Assert.Equal(entry.MetadataClass, OptimizerNames.MetadataName(spelling, null));
        Assert.Equal(entry.MetadataClass, OptimizerNames.MetadataName(spelling.ToLowerInvariant(), ""));
        Assert.Equal($"{entry.MetadataClass}(weight_decay=0.5)", OptimizerNames.MetadataName(spelling, "weight_decay=0.5"));
    }

    [Fact]
    public void AValidValueForEveryKeyOfEveryGrammarIsAccepted()
    {
        static string Sample(OptimizerArgument argument) => argument.Kind switch
        {
            OptimizerArgumentKind.Boolean => "True",
            OptimizerArgumentKind.NumberPair => argument.Range == OptimizerValueRange.Beta ? "(0.8,0.95)" : "1e-20,1e-3",
            OptimizerArgumentKind.WholeNumber => "2",
            _ when argument.Range == OptimizerValueRange.Negative => "-0.5",
            _ => "0.5",
        };
        foreach (var entry in OptimizerRegistry.All)
        {
            using var a = Param(Initial(4), 4);
            var text = string.Join(" ", entry.Arguments.Select(x => $"{x.Key}={Sample(x)}"));
            using var optimizer = OptimizerFactory.Create(entry.Name, [Group("unet", 1.0, a)], text);
            Assert.Equal(entry.Name, optimizer.Name);
        }
    }
}
