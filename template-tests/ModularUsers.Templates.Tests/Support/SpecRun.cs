using System.Text;
using System.Text.RegularExpressions;

namespace ModularUsers.Templates.Tests.Support;

// Runs ../Specs against a generated app: the specs folder is copied next to the app and built
// against it, so the specs exercise exactly the code a user receives.
public static partial class SpecRun
{
    public const string PostgresVariable = "MU_TEST_POSTGRES";

    public static Task<SpecRunResult> RunAsync(Workspace workspace, GeneratedApp app, string? postgres) =>
        RunAsync(workspace, app.ProjectFolder, app.Case, postgres, []);

    // projectFolder: a generated app, possibly changed since (see ProfileFieldRecipeTests).
    public static async Task<SpecRunResult> RunAsync(
        Workspace workspace, string projectFolder, AppCase appCase, string? postgres, Dictionary<string, string> environment)
    {
        var caseFolder = Path.GetDirectoryName(projectFolder)!;
        var specs = Path.Combine(caseFolder, "Specs");
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
                $"-p:AppIsWebApp={(appCase.Source == AppSource.WebApp ? "true" : "false")}",
            ],
            environment,
            TimeSpan.FromMinutes(20)));
        var serverErrorsFile = Path.Combine(specs, "bin", "Debug", "net10.0", "server-errors.log");
        var serverErrors = File.Exists(serverErrorsFile) ? File.ReadAllText(serverErrorsFile) : "";

        // The whole output stays in the repository's artifacts folder, which outlives the test workspace.
        var log = Path.Combine(workspace.RepoRoot, "artifacts", "test-logs", $"specs-{Path.GetFileName(caseFolder)}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        await File.WriteAllTextAsync(log, $"$ {result.CommandLine}\n(exit {result.ExitCode} after {result.Elapsed.TotalSeconds:F1}s)\n{result.Output}\n--- errors logged by the app under test ---\n{serverErrors}");

        var summary = Summary().Matches(result.Output).LastOrDefault();
        return new SpecRunResult(result, log, serverErrors,
            Total: summary is null ? 0 : int.Parse(summary.Groups["total"].Value),
            Failed: summary is null ? 0 : int.Parse(summary.Groups["failed"].Value),
            Skipped: summary is null ? 0 : int.Parse(summary.Groups["skipped"].Value));
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

public sealed partial record SpecRunResult(CommandResult Command, string LogFile, string ServerErrors, int Total, int Failed, int Skipped)
{
    private const int ListedFailures = 15;
    private const int MessageLines = 6;
    private const int ServerErrorKinds = 3;
    private const int ServerErrorLines = 8;

    public bool Passed => Command.ExitCode == 0 && Failed == 0 && Skipped == 0 && Total > 0;

    // What a failing run shows: each failed spec with the start of its message, then the kinds of
    // error the app logged. Kept short so that the end of a CI log still names every failure; the
    // whole output is in LogFile.
    public string Report()
    {
        var report = new StringBuilder()
            .AppendLine($"$ {Command.CommandLine}")
            .AppendLine($"(exit {Command.ExitCode} after {Command.Elapsed.TotalSeconds:F0}s) {Total} specs, {Failed} failed, {Skipped} skipped. Whole output: {LogFile}");
        var failures = FailedSpecs();
        if (failures.Count == 0)
        {
            report.AppendLine("No failed spec was listed; the end of the output:");
            foreach (var line in Command.Output.Split('\n').TakeLast(40))
            {
                report.AppendLine(line.TrimEnd());
            }
        }
        foreach (var failure in failures.Take(ListedFailures))
        {
            report.AppendLine($"FAILED {failure.Name}");
            foreach (var line in failure.Message.Take(MessageLines).Append(failure.Where).OfType<string>())
            {
                report.AppendLine("    " + Shorten(line, 300));
            }
        }
        if (failures.Count > ListedFailures)
        {
            report.AppendLine($"and {failures.Count - ListedFailures} more failed specs");
        }
        // Some specs make the app fail on purpose (a start with bad settings), so the kinds seen
        // during a failed spec, or outside any spec, come first.
        var failedNames = failures.Select(failure => failure.Name).ToHashSet();
        var kinds = ServerErrorEntries()
            .GroupBy(entry => entry.Kind)
            .OrderByDescending(kind => kind.Any(entry => failedNames.Contains(entry.Spec) || entry.Spec == ServerErrorsOutsideSpecs))
            .ThenByDescending(kind => kind.Count())
            .ToList();
        if (kinds.Count > 0)
        {
            report.AppendLine($"Errors the app logged ({kinds.Count} kinds, those of failed specs first):");
            foreach (var kind in kinds.Take(ServerErrorKinds))
            {
                var first = kind.First();
                report.AppendLine($"  {kind.Count()} x, first in {first.Spec}:");
                foreach (var line in first.Lines.Take(ServerErrorLines))
                {
                    report.AppendLine("    " + Shorten(line.TrimEnd(), 300));
                }
            }
        }
        return report.ToString();
    }

    public override string ToString() => Report();

    // dotnet test lists a failure as "  Failed <name> [<time>]", then "  Error Message:" and the
    // message, then "  Stack Trace:", whose first line in the specs tells where it failed.
    private List<FailedSpec> FailedSpecs()
    {
        var failures = new List<FailedSpec>();
        var section = "";
        foreach (var raw in Command.Output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var failed = FailedLine().Match(line);
            if (failed.Success)
            {
                failures.Add(new FailedSpec(failed.Groups["name"].Value));
                section = "";
                continue;
            }
            if (failures.Count == 0)
            {
                continue;
            }
            if (line.Trim() is "Error Message:" or "Stack Trace:")
            {
                section = line.Trim();
            }
            else if (section == "Error Message:" && line.Trim().Length > 0)
            {
                failures[^1].Message.Add(line.Trim());
            }
            else if (section == "Stack Trace:" && failures[^1].Where is null && line.TrimStart().StartsWith("at Specs.", StringComparison.Ordinal))
            {
                failures[^1].Where = line.Trim();
            }
        }
        return failures;
    }

    private sealed class FailedSpec(string name)
    {
        public string Name { get; } = name;
        public List<string> Message { get; } = [];
        public string? Where { get; set; }
    }

    // How the specs' server-errors.log names an error logged while no spec was running.
    private const string ServerErrorsOutsideSpecs = "(no test)";

    // server-errors.log entries: "[time] spec name", "category: message", the exception, a blank
    // line. A kind is the message and the exception's first line, numbers aside.
    private IEnumerable<(string Spec, string Kind, string[] Lines)> ServerErrorEntries() =>
        EntryStart().Split(ServerErrors)
            .Select(entry => entry.Trim('\n').Split('\n'))
            .Where(lines => lines.Length >= 2)
            .Select(lines => (
                Spec: lines[0].Trim(),
                Kind: Digits().Replace(Shorten(lines[1], 200) + "\n" + Shorten(lines.Length > 2 ? lines[2] : "", 200), "#"),
                Lines: lines[1..]));

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    [GeneratedRegex(@"^\s*Failed (?<name>\S.*?) \[[^\]]*\]\s*$")]
    private static partial Regex FailedLine();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d\.\d{3}\] ", RegexOptions.Multiline)]
    private static partial Regex EntryStart();
}
