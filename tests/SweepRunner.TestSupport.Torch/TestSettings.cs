using SweepRunner.Core.Settings;

namespace SweepRunner.TestSupport;

/// <summary>Effective settings as the planner makes them: every catalog default, then the given values.</summary>
public static class TestSettings
{
    public static Dictionary<string, object?> With(params (string Key, object? Value)[] values)
    {
        var settings = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var definition in SettingsCatalog.All) settings[definition.Key] = definition.Default;
        foreach (var (key, value) in values)
        {
            SettingsCatalog.Get(key);
            settings[key] = value;
        }
        return settings;
    }
}
