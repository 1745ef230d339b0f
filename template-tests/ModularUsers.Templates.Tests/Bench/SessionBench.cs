using System.Diagnostics;
using System.Net;
using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests.Bench;

// ./build.sh bench: what a session costs on every request (reading the cookie, checking it is
// still valid), as home-page requests per second with and without one, on the same app and run.
[Trait("Category", "Bench")]
public class SessionBench(Workspace workspace, ITestOutputHelper output)
{
    private const string Email = "signed.in@example.com"; // not inside the password, which the policy refuses
    public const int Concurrency = 8;
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan Measured = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Signed_in_requests_cost_little_more_than_anonymous_ones()
    {
        // mu-webapp with every module: its layout shows the sign-in menu and the modules' links.
        var generated = await workspace.GenerateAsync(AppCase.All().Single(c => c.IsWebAppDefault));
        Assert.True(generated.IsMigrated, generated.Describe());
        var database = Path.Combine(workspace.Root, $"bench-session-{Guid.NewGuid():N}.db");
        await using var app = await RunningApp.StartAsync(generated.ProjectFolder, $"Data Source={database}");

        using var signedIn = app.NewClient();
        // Confirmed from the Development mailbox page when the app asks (the email module's default).
        Assert.Equal(HttpStatusCode.Redirect, (await RunningApp.RegisterAndSignInAsync(signedIn, Email, "bench mark passphrase")).Status);
        using var anonymous = app.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/Accounts/ChangePassword")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/Accounts/ChangePassword")).StatusCode);

        // Alternated and repeated, keeping each one's best run, so a noisy moment does not decide.
        double bestAnonymous = 0, bestSignedIn = 0;
        for (var round = 0; round < 2; round++)
        {
            bestAnonymous = Math.Max(bestAnonymous, await HomePagesPerSecondAsync(anonymous, expectSignedIn: false));
            bestSignedIn = Math.Max(bestSignedIn, await HomePagesPerSecondAsync(signedIn, expectSignedIn: true));
        }
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/Accounts/ChangePassword")).StatusCode);

        var ratio = bestSignedIn / bestAnonymous;
        BenchResults.Append(workspace, output,
            $"## Home page with and without a session (mu-webapp, SQLite, Release, {Concurrency} clients, {Measured.TotalSeconds:F0} s after {WarmUp.TotalSeconds:F0} s warm-up, {Environment.ProcessorCount} cores)",
            "",
            "| Client | Requests per second |",
            "| --- | --- |",
            $"| anonymous | {bestAnonymous:F0} |",
            $"| signed in | {bestSignedIn:F0} |",
            "",
            $"Ratio signed in / anonymous: **{ratio:F3}** (goal ≥ 0.8: {(ratio >= 0.8 ? "met" : "NOT met")})",
            "");
    }

    // Concurrency requests at a time for the warm-up, then counted for Measured. Every page must
    // answer 200 and show the menu of the expected state: the signed-in one names the user.
    public static async Task<double> HomePagesPerSecondAsync(HttpClient client, bool expectSignedIn, string email = Email)
    {
        var stopwatch = Stopwatch.StartNew();
        var end = WarmUp + Measured;
        var counted = 0;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            while (stopwatch.Elapsed < end)
            {
                var response = await client.GetAsync("/");
                var html = await response.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(expectSignedIn, html.Contains(email));
                if (stopwatch.Elapsed > WarmUp)
                {
                    Interlocked.Increment(ref counted);
                }
            }
        }));
        return counted / (stopwatch.Elapsed - WarmUp).TotalSeconds;
    }
}
