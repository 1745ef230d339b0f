using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests.Bench;

// ./build.sh bench: the two hashers of --hasher side by side in one run. The accounts module's
// own Argon2Computation.cs, built once per hasher (template-tests/HasherBench), at 1, 2 and 8
// hashes at a time: hashes per second and the process's peak memory. Then sign-ins per second
// end to end in a mu-webapp app with accounts only, one per hasher, and the app's peak memory
// under 8 × the core count of concurrent sign-ins. Goal: sign-ins per second with libsodium
// ≥ 0.9 × libsodium's own hashes per second at one hash per core, the app's sign-ins per second
// being the better of the two client counts (what it can serve).
[Trait("Category", "Bench")]
public partial class PasswordHasherBench(Workspace workspace, ITestOutputHelper output)
{
    private const string Password = "sign in bench passphrase";
    private static readonly string[] Hashers = ["konscious", "libsodium"];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(10);
    // Before its first measurement each app signs in under full load this long: measured on a
    // scaffolded app, the JIT's tiering still took about a sixth of the CPU 12 s after start, and
    // the CPU per sign-in kept falling for about a minute (31 -> 24 ms with libsodium).
    private static readonly TimeSpan AppWarmUp = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Hashes_and_sign_ins_per_second_and_memory_with_each_hasher()
    {
        var cores = Environment.ProcessorCount;
        var lines = new List<string>
        {
            $"## Password hashers: Argon2id at the default cost (m=19456 KiB, t=2, p=1), {cores} cores",
            "",
            "Argon2Computation.cs alone, new hashes, 10 s after 2 s warm-up:",
            "",
            "| Hasher | At a time | Hashes per second | Peak memory MiB (at start) | Gen-2 collections |",
            "| --- | --- | --- | --- | --- |",
        };
        var ownLimit = new Dictionary<string, double>();
        foreach (var hasher in Hashers)
        {
            var folder = Path.Combine(workspace.Root, "hasher-bench", hasher);
            var build = await Command.DotnetAsync(Path.Combine(workspace.RepoRoot, "template-tests", "HasherBench"),
                "build", "-c", "Release", "-nologo", $"-p:Hasher={hasher}", "-o", folder);
            Assert.True(build.ExitCode == 0, build.ToString());
            foreach (var atATime in new[] { 1, 2, 8 })
            {
                var run = await Command.DotnetAsync(folder, Path.Combine(folder, "HasherBench.dll"), atATime.ToString(CultureInfo.InvariantCulture), "10");
                var figures = HashFigures().Match(run.Output);
                Assert.True(run.ExitCode == 0 && figures.Success, run.ToString());
                var perSecond = double.Parse(figures.Groups["rate"].Value, CultureInfo.InvariantCulture);
                if (atATime == Math.Min(cores, 2))
                {
                    ownLimit[hasher] = perSecond;
                }
                lines.Add($"| {hasher} | {atATime} | {perSecond:F1} | {figures.Groups["peak"].Value} ({figures.Groups["baseline"].Value}) | {figures.Groups["gen2"].Value} |");
            }
        }

        lines.AddRange(["", $"Sign-ins end to end (mu-webapp, accounts only, SQLite, Release; GET the form, POST it, answered by the redirect home), "
            + $"{Measured.TotalSeconds:F0} s each, after {AppWarmUp.TotalSeconds:F0} s of sign-ins at {8 * cores} clients for the app's first count and {WarmUp.TotalSeconds:F0} s for the next:", "",
            "| Hasher | Clients | Sign-ins per second | Busy answers (503) | App peak memory MiB | App CPU ms per sign-in | Bench clients' CPU ms per sign-in |",
            "| --- | --- | --- | --- | --- | --- | --- |"]);
        var cpu = new Dictionary<string, (double App, double Clients)>();
        var signIns = new Dictionary<string, (double Few, double Many)>();
        foreach (var hasher in Hashers)
        {
            await using var app = await StartAppAsync(hasher);
            var clients = Enumerable.Range(0, 8 * cores).Select(_ => app.NewClient()).ToList();
            try
            {
                for (var i = 0; i < clients.Count; i++)
                {
                    var registered = await RunningApp.RegisterAsync(clients[i], Email(i), Password);
                    Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
                }
                // The full load first: it is also the app's warm-up.
                var (many, busy, appCpu, clientsCpu) = await SignInsPerSecondAsync(app, clients, AppWarmUp);
                cpu[hasher] = (appCpu, clientsCpu);
                var manyLine = $"| {hasher} | {clients.Count} | {many:F1} | {busy} | {app.PeakMemoryMiB:F0} | {appCpu:F1} | {clientsCpu:F1} |";
                var few = await SignInsPerSecondAsync(app, clients.Take(cores).ToList(), WarmUp);
                signIns[hasher] = (few.PerSecond, many);
                lines.Add($"| {hasher} | {cores} | {few.PerSecond:F1} | {few.Busy} | {app.PeakMemoryMiB:F0} | {few.AppCpuMs:F1} | {few.ClientsCpuMs:F1} |");
                lines.Add(manyLine);
            }
            finally
            {
                clients.ForEach(client => client.Dispose());
            }
        }

        double Best(string hasher) => Math.Max(signIns[hasher].Few, signIns[hasher].Many);
        var ratio = Best("libsodium") / ownLimit["libsodium"];
        lines.AddRange(["",
            $"Sign-ins per second with libsodium (the better of {cores} and {8 * cores} clients) / its own hashes per second at {Math.Min(cores, 2)} at a time: **{ratio:F2}** "
                + $"(goal ≥ 0.9: {(ratio >= 0.9 ? "met" : "NOT met")}); with {cores} clients only {signIns["libsodium"].Few / ownLimit["libsodium"]:F2} "
                + "(each client waits for its own answers, so a core idles between one client's hashes).",
            $"libsodium / Konscious: {ownLimit["libsodium"] / ownLimit["konscious"]:F1}× the hashes, {Best("libsodium") / Best("konscious"):F1}× the sign-ins.",
            // At 8 clients per core every core is busy, so CPU time per sign-in says where the time goes.
            $"Where the CPU goes at {8 * cores} clients, libsodium: the app {cpu["libsodium"].App:F1} ms per sign-in, of which the hash about "
                + $"{1000.0 * Math.Min(cores, 2) / ownLimit["libsodium"]:F1} ms (its own rate) and the rest of the two requests "
                + $"{cpu["libsodium"].App - 1000.0 * Math.Min(cores, 2) / ownLimit["libsodium"]:F1} ms; the bench's clients, on the same cores, {cpu["libsodium"].Clients:F1} ms. "
                + $"The app alone on {cores} cores would serve at most {1000.0 * cores / cpu["libsodium"].App:F1} sign-ins per second.",
            $"Memory bound: at most Accounts:Argon2:MaxConcurrentHashes (one per core: {cores}) hashes at once, 19 MiB each; up to MaxQueuedHashes (64) more wait, beyond that the answer is 503.",
            ""]);
        BenchResults.Append(workspace, output, [.. lines]);
    }

    private static string Email(int i) => $"signer{i}@example.com";

    // A mu-webapp app with accounts only and this hasher. The sign-in and registration limits per
    // address are at their highest: every client here is 127.0.0.1.
    private async Task<RunningApp> StartAppAsync(string hasher)
    {
        var folder = await workspace.NewWebAppAsync($"hasher-{hasher}", [], "--hasher", hasher);
        var database = Path.Combine(workspace.Root, $"bench-hasher-{hasher}.db");
        return await RunningApp.StartAsync(folder, $"Data Source={database}", settings: new Dictionary<string, string>
        {
            ["Accounts__SignInLimit"] = "100000",
            ["Accounts__RegistrationLimit"] = "100000",
        });
    }

    // Each client signs its own user in again and again (GET the form, POST it). Also the CPU time
    // per sign-in, after the warm-up, of the app and of this process (the clients).
    private static async Task<(double PerSecond, int Busy, double AppCpuMs, double ClientsCpuMs)> SignInsPerSecondAsync(RunningApp app, List<HttpClient> clients,
        TimeSpan warmUp)
    {
        var stopwatch = Stopwatch.StartNew();
        var counted = 0;
        var busy = 0;
        var bench = Process.GetCurrentProcess();
        var measuring = Task.Delay(warmUp).ContinueWith(_ =>
        {
            bench.Refresh();
            return (App: app.ProcessorTime, Clients: bench.TotalProcessorTime);
        }, TaskScheduler.Default);
        await Task.WhenAll(clients.Select(async (client, i) =>
        {
            while (stopwatch.Elapsed < warmUp + Measured)
            {
                var response = await RunningApp.SignInAsync(client, Email(i), Password);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref busy);
                    continue;
                }
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                if (stopwatch.Elapsed > warmUp)
                {
                    Interlocked.Increment(ref counted);
                }
            }
        }));
        var start = await measuring;
        bench.Refresh();
        var appCpu = (app.ProcessorTime - start.App).TotalMilliseconds / counted;
        var clientsCpu = (bench.TotalProcessorTime - start.Clients).TotalMilliseconds / counted;
        return (counted / (stopwatch.Elapsed - warmUp).TotalSeconds, busy, appCpu, clientsCpu);
    }

    [GeneratedRegex(@"hashes_per_second=(?<rate>[\d.]+) peak_mib=(?<peak>\d+) baseline_mib=(?<baseline>\d+) gen2=(?<gen2>\d+)")]
    private static partial Regex HashFigures();
}
