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

    /// <summary>The value an option takes when it is not given, as the description must write it; null when it has none to state.</summary>
    static string? StatedDefault(object? value) => value switch
    {
        null or false or "" => null,
        Array { Length: 0 } => null,
        Enum e => e.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    [Fact]
    public void EveryOptionWithADefaultStatesItInItsDescription()
    {
        var settingsTypes = typeof(RunCommand).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CommandSettings)) && !t.IsAbstract).ToList();
        var wrong = new List<string>();
        var checkedCount = 0;
        foreach (var type in settingsTypes)
        {
            var instance = Activator.CreateInstance(type);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetCustomAttribute<CommandOptionAttribute>() is not { } option) continue;
                if (StatedDefault(property.GetValue(instance)) is not { } value) continue;
                checkedCount++;
                var description = property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "";
                if (!System.Text.RegularExpressions.Regex.IsMatch(description, $@"\(default:? {System.Text.RegularExpressions.Regex.Escape(value)}[;,).]"))
                    wrong.Add($"{type.DeclaringType?.Name ?? type.Name} --{option.LongNames[0]} (default {value}): '{description}'");
            }
        }
        Assert.True(checkedCount >= 25, $"only {checkedCount} options with a default found");
        Assert.True(wrong.Count == 0, "descriptions that do not say '(default <value>)': " + string.Join("; ", wrong));
    }
}
