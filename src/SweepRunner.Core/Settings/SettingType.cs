namespace SweepRunner.Core.Settings;

public enum SettingType
{
    Integer,
    Number,
    Boolean,
    Text,
    Choice,
    /// <summary>Width and height, written 'W,H' or a single side; normalized to 'W,H'.</summary>
    Resolution,
}
