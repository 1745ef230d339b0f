using System.Net;
using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests.Bench;

// ./build.sh bench: what the sessions module adds to a signed-in request (its last-active
// tracking runs on each one), as signed-in home pages per second in mu-webapp with every module
// and in the same app without sessions, measured in turns in one run.
[Trait("Category", "Bench")]
public class SessionsModuleBench(Workspace workspace, ITestOutputHelper output)
{
    private const string Email = "signed.in@example.com";

    [Fact]
    public async Task Signed_in_requests_cost_about_the_same_with_the_sessions_module()
    {
        var withSessions = AppCase.All().Single(c => c.IsWebAppDefault);
        var withoutSessions = AppCase.All().Single(c => c.Source == AppSource.WebApp && c.Db == Databases.Sqlite
            && c.Modules.Length == Module.All.Count - 1 && !c.Modules.Contains(Module.Sessions));
        await using var with = await SignedInAsync(withSessions);
        await using var without = await SignedInAsync(withoutSessions);

        // Alternated and repeated, keeping each one's best run, so a noisy moment does not decide.
        double bestWith = 0, bestWithout = 0;
        for (var round = 0; round < 2; round++)
        {
            bestWithout = Math.Max(bestWithout, await SessionBench.HomePagesPerSecondAsync(without.Client, expectSignedIn: true, Email));
            bestWith = Math.Max(bestWith, await SessionBench.HomePagesPerSecondAsync(with.Client, expectSignedIn: true, Email));
        }

        var ratio = bestWith / bestWithout;
        BenchResults.Append(workspace, output,
            $"## Signed-in home page with and without the sessions module (mu-webapp, SQLite, Release, {SessionBench.Concurrency} clients, {SessionBench.Measured.TotalSeconds:F0} s after {SessionBench.WarmUp.TotalSeconds:F0} s warm-up, {Environment.ProcessorCount} cores)",
            "",
            "| App | Requests per second |",
            "| --- | --- |",
            $"| without sessions | {bestWithout:F0} |",
            $"| with sessions | {bestWith:F0} |",
            "",
            $"Ratio with / without: **{ratio:F3}** (goal ≥ 0.95: {(ratio >= 0.95 ? "met" : "NOT met")})",
            "");
    }

    private async Task<SignedInApp> SignedInAsync(AppCase appCase)
    {
        var generated = await workspace.GenerateAsync(appCase);
        Assert.True(generated.IsMigrated, generated.Describe());
        var database = Path.Combine(workspace.Root, $"bench-sessions-{Guid.NewGuid():N}.db");
        var app = await RunningApp.StartAsync(generated.ProjectFolder, $"Data Source={database}");
        var client = app.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await RunningApp.RegisterAndSignInAsync(client, Email, "bench mark passphrase")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Accounts/ChangePassword")).StatusCode);
        return new SignedInApp(app, client);
    }

    private sealed record SignedInApp(RunningApp App, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.DisposeAsync();
        }
    }
}
