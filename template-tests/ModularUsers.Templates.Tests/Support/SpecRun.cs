using System.Text.RegularExpressions;

namespace ModularUsers.Templates.Tests.Support;

// Runs ../Specs against a generated app: the specs folder is copied next to the app and built
// against it, so the specs exercise exactly the code a user receives.
public static partial class SpecRun
{
    public const string PostgresVariable = "MU_TEST_POSTGRES";

    public static async Task<(CommandResult Result, int Total, int Failed, int Skipped)> RunAsync(Workspace workspace, GeneratedApp app, string? postgres)
    {
        var specs = Path.Combine(Path.GetDirectoryName(app.ProjectFolder)!, "Specs");
        if (!Directory.Exists(specs))
        {
            FileTree.CopyWithoutBuildOutput(Path.Combine(workspace.RepoRoot, "template-tests", "Specs"), specs);
        }
        var environment = new Dictionary<string, string> { ["SPECS_DB"] = app.Case.Db };
        if (postgres is not null)
        {
            environment["SPECS_POSTGRES"] = postgres;
        }
        var result = await workspace.HeavyAsync(() => Command.RunAsync(specs, "dotnet",
            [
                "test", "-nologo",
                $"-p:AppProject={app.ProjectFile}",
                $"-p:AppNamespace={Workspace.RootNamespace}",
                $"-p:AppModules={string.Join(',', app.Case.Modules.Select(m => m.Name))}",
            ],
            environment,
            TimeSpan.FromMinutes(20)));
        var summary = Summary().Matches(result.Output).LastOrDefault();
        return summary is null
            ? (result, 0, 0, 0)
            : (result, int.Parse(summary.Groups["total"].Value), int.Parse(summary.Groups["failed"].Value), int.Parse(summary.Groups["skipped"].Value));
    }

    public static string? Postgres()
    {
        var connection = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(connection))
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail($"CI needs PostgreSQL: {PostgresVariable} is not set (.ci/run starts a server and sets it).");
            }
            Assert.Skip($"No PostgreSQL: set {PostgresVariable} to a connection string that may create databases (.ci/run does).");
        }
        return connection;
    }

    [GeneratedRegex(@"Failed:\s+(?<failed>\d+), Passed:\s+(?<passed>\d+), Skipped:\s+(?<skipped>\d+), Total:\s+(?<total>\d+)")]
    private static partial Regex Summary();
}
