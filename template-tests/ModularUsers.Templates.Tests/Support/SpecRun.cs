using System.Text.RegularExpressions;

namespace ModularUsers.Templates.Tests.Support;

// Runs ../Specs against a generated app: the specs folder is copied next to the app and built
// against it, so the specs exercise exactly the code a user receives.
public static partial class SpecRun
{
    public const string PostgresVariable = "MU_TEST_POSTGRES";

    public static Task<(CommandResult Result, int Total, int Failed, int Skipped)> RunAsync(Workspace workspace, GeneratedApp app, string? postgres) =>
        RunAsync(workspace, app.ProjectFolder, app.Case, postgres, []);

    // projectFolder: a generated app, possibly changed since (see ProfileFieldRecipeTests).
    public static async Task<(CommandResult Result, int Total, int Failed, int Skipped)> RunAsync(
        Workspace workspace, string projectFolder, AppCase appCase, string? postgres, Dictionary<string, string> environment)
    {
        var specs = Path.Combine(Path.GetDirectoryName(projectFolder)!, "Specs");
        if (!Directory.Exists(specs))
        {
            FileTree.CopyWithoutBuildOutput(Path.Combine(workspace.RepoRoot, "template-tests", "Specs"), specs);
        }
        environment["SPECS_DB"] = appCase.Db;
        if (postgres is not null)
        {
            environment["SPECS_POSTGRES"] = postgres;
        }
        var result = await workspace.HeavyAsync(() => Command.RunAsync(specs, "dotnet",
            [
                "test", "-nologo",
                $"-p:AppProject={Path.Combine(projectFolder, Workspace.AppName + ".csproj")}",
                $"-p:AppNamespace={Workspace.RootNamespace}",
                $"-p:AppModules={string.Join('+', appCase.Modules.Select(m => m.Name))}",
            ],
            environment,
            TimeSpan.FromMinutes(20)));
        var serverErrors = Path.Combine(specs, "bin", "Debug", "net10.0", "server-errors.log");
        if (File.Exists(serverErrors))
        {
            result = result with { Output = result.Output + "\n--- errors logged by the app under test ---\n" + File.ReadAllText(serverErrors) };
        }
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
