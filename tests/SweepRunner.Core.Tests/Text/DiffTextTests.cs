using SweepRunner.Core.Settings;
using SweepRunner.Core.Text;

namespace SweepRunner.Core.Tests.Text;

public sealed class DiffTextTests
{
    [Fact]
    public void A_planned_diff_and_its_stored_json_read_the_same()
    {
        var diff = new List<KeyValuePair<string, object?>>
        {
            new("optimizer_type", "Lion"), new("learning_rate", 1e-05), new("network_dim", 64L), new("flip_aug", true),
            new("lr_scheduler_args", null), new("noise_offset", 0.05), new("max_grad_norm", 1.0),
        };

        var planned = DiffText.Of(diff);
        var stored = DiffText.OfJson(SettingsJson.Serialize(diff));

        Assert.Equal("optimizer_type=Lion, learning_rate=1e-05, network_dim=64, flip_aug=true, lr_scheduler_args=null, noise_offset=0.05, max_grad_norm=1", planned);
        Assert.Equal(planned, stored);
    }

    [Fact]
    public void The_job_that_changes_nothing_is_the_baseline()
    {
        Assert.Equal("baseline", DiffText.Of(new Dictionary<string, object?>()));
        Assert.Equal("baseline", DiffText.OfJson("{}"));
        Assert.Equal("baseline", DiffText.Of(new Dictionary<string, string>()));
    }

    [Fact]
    public void Stored_values_keep_their_order_and_text() =>
        Assert.Equal(
            [KeyValuePair.Create("b", "2"), KeyValuePair.Create("a", "x, y")],
            DiffText.Values("""{"b":2,"a":"x, y"}"""));
}
