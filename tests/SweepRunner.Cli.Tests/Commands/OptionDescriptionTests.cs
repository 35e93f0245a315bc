using System.ComponentModel;
using System.Reflection;
using Spectre.Console.Cli;
using SweepRunner.Cli.Commands;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>`--help` explains every argument and option of every command.</summary>
public class OptionDescriptionTests
{
    [Fact]
    public void EveryArgumentAndOptionOfEveryCommandHasADescription()
    {
        var settingsTypes = typeof(RunCommand).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CommandSettings)) && !t.IsAbstract).ToList();
        Assert.True(settingsTypes.Count >= 12, $"found only {settingsTypes.Count} settings types");
        var missing = new List<string>();
        foreach (var type in settingsTypes)
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var option = property.GetCustomAttribute<CommandOptionAttribute>();
            var argument = property.GetCustomAttribute<CommandArgumentAttribute>();
            if (option is null && argument is null) continue;
            if (string.IsNullOrWhiteSpace(property.GetCustomAttribute<DescriptionAttribute>()?.Description))
                missing.Add($"{type.DeclaringType?.Name ?? type.Name}: {string.Join("/", option?.LongNames ?? [argument!.ValueName])}");
        }
        Assert.True(missing.Count == 0, "without a description: " + string.Join(", ", missing));
    }
}
