using SweepRunner.Web.Security;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests.Security;

public sealed class RequestPathTests
{
    [Theory]
    [InlineData("/images/../sweeprunner.db")]
    [InlineData("/images/..%2fsweeprunner.db")]
    [InlineData("/images/..%2Fsweeprunner.db")]
    [InlineData("/images/%2e%2e/sweeprunner.db")]
    [InlineData("/images/%2E%2E%2Fsweeprunner.db")]
    [InlineData("/images/%252e%252e%252fsweeprunner.db")]
    [InlineData("/images/..%5csweeprunner.db")]
    [InlineData("/images/..\\sweeprunner.db")]
    [InlineData("/static/../sweeprunner.db")]
    [InlineData("/static/..%2f..%2fsweeprunner.db")]
    [InlineData("/static/%2e%2e%2fsweeprunner.db")]
    [InlineData("/static/../../../../etc/passwd")]
    [InlineData("/../sweeprunner.db")]
    [InlineData("/demo/../sweeprunner.db")]
    public async Task Paths_that_climb_out_are_refused_and_never_serve_the_database(string target)
    {
        await using var running = await RunningServer.StartAsync();

        var (status, body) = await RawHttp.GetAsync(running.Server.Url, target);

        Assert.True(status is 400 or 404, $"{target} gave HTTP {status}");
        Assert.DoesNotContain("SQLite format", body, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_files_recorded_in_the_store_are_served_by_preview_id()
    {
        await using var running = await RunningServer.StartAsync();
        var id = running.Results.PreviewIds["base"][0];

        var image = await running.Http.GetAsync($"/images/{id}");
        var unknown = await running.Http.GetAsync("/images/999999");
        var byName = await running.Http.GetAsync("/images/sweeprunner.db");
        var staticDatabase = await running.Http.GetAsync("/static/sweeprunner.db");

        Assert.Equal(System.Net.HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await image.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, byName.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, staticDatabase.StatusCode);
    }

    [Fact]
    public async Task A_recorded_path_that_leads_out_of_the_results_folder_is_not_served()
    {
        await using var running = await RunningServer.StartAsync();
        var outside = Path.Combine(Path.GetDirectoryName(running.Results.Folder)!, Guid.NewGuid().ToString("N") + ".png");
        File.Copy(Path.Combine(running.Results.Folder, running.Results.Query<string>("SELECT path FROM previews LIMIT 1;")[0]), outside);
        try
        {
            var id = running.Results.PreviewIds["base"][0];
            // Only a hand-edited database can hold such a path: the store refuses '..' when recording.
            running.Results.Execute("UPDATE previews SET path = @Path WHERE id = @Id;", new { Path = "../" + Path.GetFileName(outside), Id = id });

            var response = await running.Http.GetAsync($"/images/{id}");

            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task A_link_inside_the_results_folder_that_points_out_of_it_is_not_served()
    {
        await using var running = await RunningServer.StartAsync();
        var id = running.Results.PreviewIds["lion"][0];
        var relative = running.Results.Query<string>("SELECT path FROM previews WHERE id = @Id;", new { Id = id })[0];
        var linked = Path.Combine(running.Results.Folder, relative);
        var outside = Path.Combine(Path.GetDirectoryName(running.Results.Folder)!, Guid.NewGuid().ToString("N") + ".png");
        File.Move(linked, outside);
        File.CreateSymbolicLink(linked, outside);
        try
        {
            var response = await running.Http.GetAsync($"/images/{id}");

            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Theory]
    [InlineData("/images/1", false)]
    [InlineData("/images/1?x=..", false)]
    [InlineData("/a/./b", true)]
    [InlineData("/a%00b", true)]
    public void Suspicious_targets_are_recognised(string target, bool suspicious) =>
        Assert.Equal(suspicious, RequestPathCheck.IsSuspicious(target));

    [Theory]
    [InlineData("/results", "/results/demo/a.png", true)]
    [InlineData("/results/", "/results/demo/a.png", true)]
    [InlineData("/results", "/results/../etc/passwd", false)]
    [InlineData("/results", "/results-other/a.png", false)]
    [InlineData("/results", "/results", false)]
    public void Only_paths_below_the_results_folder_are_inside_it(string folder, string path, bool inside) =>
        Assert.Equal(inside, RequestPathCheck.IsInside(folder, path));
}
