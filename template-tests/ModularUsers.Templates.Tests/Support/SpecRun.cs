using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ModularUsers.Templates.Tests.Support;

// Runs ../Specs against a generated app: the specs folder is copied next to the app and built
// against it, so the specs exercise exactly the code a user receives. The outcome is read from
// the run's TRX file and the app's errors from the specs' server-errors.jsonl, never from the
// console text.
public static partial class SpecRun
{
    public const string PostgresVariable = "MU_TEST_POSTGRES";

    public static Task<SpecRunResult> RunAsync(Workspace workspace, SpecRunCase run, GeneratedApp app, string? postgres) =>
        RunAsync(workspace, app.ProjectFolder, app.Case, run.SpecFolders, postgres, [], run.LogName);

    // projectFolder: a generated app, possibly changed since (see ProfileFieldRecipeTests).
    // specFolders: the folders of template-tests/Specs to compile and run (Accounts, Logs, ..., WebApp).
    // name: of the run's files, artifacts/test-logs/specs-<name>.trx and .log (FileName).
    // filter: a `dotnet test --filter` expression; the folders' counts are then not checked.
    public static async Task<SpecRunResult> RunAsync(
        Workspace workspace, string projectFolder, AppCase appCase, IReadOnlyList<string> specFolders, string? postgres,
        Dictionary<string, string> environment, string name, string? filter = null)
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
        var logs = Directory.CreateDirectory(Path.Combine(workspace.RepoRoot, "artifacts", "test-logs")).FullName;
        var fileName = FileName(name);
        var trx = Path.Combine(logs, fileName + ".trx");
        var serverErrorsFile = Path.Combine(specs, "bin", "Debug", "net10.0", "server-errors.jsonl");
        foreach (var earlier in new[] { trx, serverErrorsFile }.Where(File.Exists))
        {
            File.Delete(earlier);
        }

        var result = await workspace.HeavyAsync(() => Command.RunAsync(specs, "dotnet",
            [
                "test", "-nologo",
                $"-p:AppProject={Path.Combine(projectFolder, Workspace.AppName + ".csproj")}",
                $"-p:AppNamespace={Workspace.RootNamespace}",
                $"-p:AppModules={appCase.SpecAppModules}",
                $"-p:AppIsWebApp={(appCase.Source == AppSource.WebApp ? "true" : "false")}",
                $"-p:SpecModules={string.Join('+', specFolders.Select(f => f.ToLowerInvariant()))}",
                "--logger", $"trx;LogFileName={trx}",
                .. filter is null ? Array.Empty<string>() : ["--filter", filter],
            ],
            environment,
            TimeSpan.FromMinutes(20),
            workspace.Stopping));

        var declared = filter is not null ? [] : specFolders.ToDictionary(folder => folder, folder => DeclaredSpecs(Path.Combine(specs, folder), appCase.GeoIp));
        var specRun = SpecRunResult.Read(result, trx, serverErrorsFile, declared, Path.Combine(logs, fileName + ".log"));
        await File.WriteAllTextAsync(specRun.LogFile,
            $"$ {result.CommandLine}\n(exit {result.ExitCode} after {result.Elapsed.TotalSeconds:F1}s)\n{result.Output}\n--- {specRun.Report()}");
        Timings.Record("spec run", name, Timings.Now - result.Elapsed, result.Elapsed,
            $"{specRun.Executed} specs, {specRun.Failed} failed; spec time by folder: "
            + string.Join(", ", specRun.DurationPerFolder.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value.TotalSeconds:F0} s")));
        return specRun;
    }

    public static string? Postgres()
    {
        var connection = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(connection))
        {
            if (IsCi)
            {
                Assert.Fail($"CI needs PostgreSQL: {PostgresVariable} is not set (.ci/run starts a server and sets it).");
            }
            Assert.Skip($"No PostgreSQL: set {PostgresVariable} to a connection string that may create databases (.ci/run does).");
        }
        return connection;
    }

    // CI=true or CI=1, in any case: there a missing PostgreSQL or browser fails instead of skipping.
    public static bool IsCi => Environment.GetEnvironmentVariable("CI")?.Trim().ToLowerInvariant() is "true" or "1";

    // Test methods a folder of specs declares: each runs at least once ([Theory] rows more). The
    // location specs (GeoIp*.cs, as Specs.csproj leaves them out) only where --geoip is on.
    private static int DeclaredSpecs(string folder, bool geoIp) =>
        !Directory.Exists(folder) ? 0 : Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(file => geoIp || !Path.GetFileName(file).StartsWith("GeoIp", StringComparison.Ordinal))
            .Sum(file => SpecAttribute().Count(File.ReadAllText(file)));

    [GeneratedRegex(@"^\s*\[(Fact|Theory)\b", RegexOptions.Multiline)]
    private static partial Regex SpecAttribute();

    // specs-<name> without the extension. A file name is at most 255 bytes, and the runs of the
    // app with every module name every spec folder: a long name is cut, and a hash of the whole
    // keeps it apart from the others.
    public static string FileName(string name)
    {
        const int maxLength = 160;
        var fileName = "specs-" + SafeFileName().Replace(name, "_");
        if (fileName.Length <= maxLength)
        {
            return fileName;
        }
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..12];
        return $"{fileName[..(maxLength - hash.Length - 1)]}-{hash}";
    }

    [GeneratedRegex(@"[^A-Za-z0-9+._-]+")]
    private static partial Regex SafeFileName();
}

public sealed record FailedSpec(string Name, string Message, string? Where);

public sealed record ServerError(string? Test, bool Expected, string Category, string Level, int EventId, string Message, string? Exception);

// What a spec run produced: the runner's counts, each failure, the errors the app logged that no
// spec expected, and the specs of each folder that ran against those the folder declares.
public sealed record SpecRunResult(
    CommandResult Command, string LogFile, int Total, int Executed, int Passed, int Failed, int NotExecuted,
    IReadOnlyList<FailedSpec> Failures, IReadOnlyList<ServerError> UnexpectedErrors,
    IReadOnlyDictionary<string, (int Declared, int Ran)> SpecsPerFolder, bool HasResults)
{
    // The specs' own durations summed per folder (they run side by side, so the sum exceeds the wall time).
    public IReadOnlyDictionary<string, TimeSpan> DurationPerFolder { get; init; } = new Dictionary<string, TimeSpan>();

    private const int ListedFailures = 15;
    private const int MessageLines = 6;
    private const int ListedErrors = 3;

    // Every folder ran all the specs it declares (none renamed away or left out by a condition).
    public bool EveryFolderRan => SpecsPerFolder.Values.All(folder => folder.Declared > 0 && folder.Ran == folder.Declared);

    public bool Succeeded => HasResults && Command.ExitCode == 0 && Failed == 0 && NotExecuted == 0 && Executed > 0
        && UnexpectedErrors.Count == 0 && EveryFolderRan;

    public static SpecRunResult Read(
        CommandResult command, string trxFile, string serverErrorsFile, IReadOnlyDictionary<string, int> declared, string logFile)
    {
        var unexpected = File.Exists(serverErrorsFile)
            ? File.ReadLines(serverErrorsFile).Where(line => line.Trim().Length > 0)
                .Select(line => JsonSerializer.Deserialize<ServerError>(line, JsonOptions)!)
                .Where(error => !error.Expected)
                .ToList()
            : [];
        if (!File.Exists(trxFile))
        {
            return new SpecRunResult(command, logFile, 0, 0, 0, 0, 0, [], unexpected,
                declared.ToDictionary(d => d.Key, d => (d.Value, 0)), HasResults: false);
        }
        var trx = XDocument.Load(trxFile);
        XNamespace ns = trx.Root!.Name.Namespace;
        var counters = trx.Descendants(ns + "Counters").Single();
        int Counter(string name) => int.Parse(counters.Attribute(name)?.Value ?? "0");

        var methods = trx.Descendants(ns + "UnitTest").ToDictionary(
            test => test.Attribute("id")!.Value,
            test => test.Element(ns + "TestMethod")!);
        var failures = trx.Descendants(ns + "UnitTestResult")
            .Where(result => result.Attribute("outcome")?.Value == "Failed")
            .Select(result =>
            {
                var info = result.Descendants(ns + "ErrorInfo").FirstOrDefault();
                var stack = info?.Element(ns + "StackTrace")?.Value ?? "";
                return new FailedSpec(
                    result.Attribute("testName")!.Value,
                    info?.Element(ns + "Message")?.Value.Trim() ?? "(no message)",
                    stack.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("at Specs.", StringComparison.Ordinal)));
            })
            .ToList();
        // Distinct test methods that ran, by the folder (namespace Specs.<Folder>) of their class.
        var ran = trx.Descendants(ns + "UnitTestResult")
            .Where(result => result.Attribute("outcome")?.Value is "Passed" or "Failed")
            .Select(result => methods[result.Attribute("testId")!.Value])
            .Select(method => (Class: method.Attribute("className")!.Value, Method: method.Attribute("name")!.Value))
            .Distinct()
            .GroupBy(method => method.Class.Split('.') is [_, var folder, ..] ? folder : "")
            .ToDictionary(group => group.Key, group => group.Count());
        var durations = trx.Descendants(ns + "UnitTestResult")
            .Where(result => result.Attribute("duration") is not null)
            .GroupBy(result => methods[result.Attribute("testId")!.Value].Attribute("className")!.Value.Split('.') is [_, var folder, ..] ? folder : "")
            .ToDictionary(group => group.Key, group => group.Aggregate(TimeSpan.Zero, (sum, result) => sum + TimeSpan.Parse(result.Attribute("duration")!.Value)));
        return new SpecRunResult(command, logFile,
            Counter("total"), Counter("executed"), Counter("passed"), Counter("failed") + Counter("error") + Counter("timeout") + Counter("aborted"),
            Counter("notExecuted") + Counter("notRunnable") + Counter("inconclusive"),
            failures, unexpected,
            declared.ToDictionary(d => d.Key, d => (d.Value, ran.GetValueOrDefault(d.Key))),
            HasResults: true)
        {
            DurationPerFolder = durations,
        };
    }

    // What a failing run shows: each failed spec with the start of its message, the errors the
    // app logged that no spec expected, and folders whose specs did not all run. Kept short so
    // the end of a CI log still names every failure; the whole output is in LogFile.
    public string Report()
    {
        var report = new StringBuilder()
            .AppendLine($"$ {Command.CommandLine}")
            .AppendLine($"(exit {Command.ExitCode} after {Command.Elapsed.TotalSeconds:F0}s) {Executed} of {Total} specs ran, {Failed} failed, {NotExecuted} not run. Whole output: {LogFile}");
        if (!HasResults)
        {
            report.AppendLine("No test results (the specs did not build, or the run was stopped); the end of the output:");
            foreach (var line in Command.Output.TrimEnd().Split('\n').TakeLast(40))
            {
                report.AppendLine(line.TrimEnd());
            }
        }
        foreach (var failure in Failures.Take(ListedFailures))
        {
            report.AppendLine($"FAILED {failure.Name}");
            foreach (var line in failure.Message.Split('\n').Take(MessageLines).Append(failure.Where).OfType<string>())
            {
                report.AppendLine("    " + Shorten(line.TrimEnd(), 300));
            }
        }
        if (Failures.Count > ListedFailures)
        {
            report.AppendLine($"and {Failures.Count - ListedFailures} more failed specs");
        }
        foreach (var (folder, (declared, ran)) in SpecsPerFolder.Where(f => f.Value.Declared == 0 || f.Value.Ran != f.Value.Declared))
        {
            report.AppendLine($"MISSING SPECS in {folder}: {declared} declared ([Fact]/[Theory]), {ran} ran");
        }
        if (UnexpectedErrors.Count > 0)
        {
            report.AppendLine($"The app logged {UnexpectedErrors.Count} errors no spec expected (mark a spec that causes them on purpose with [Trait(\"ServerErrors\", \"expected\")]):");
            foreach (var error in UnexpectedErrors.Take(ListedErrors))
            {
                report.AppendLine($"  during {error.Test ?? "no spec"}: {error.Category} [{error.EventId}] {Shorten(error.Message, 300)}");
                foreach (var line in (error.Exception ?? "").Split('\n').Where(l => l.Trim().Length > 0).Take(MessageLines))
                {
                    report.AppendLine("    " + Shorten(line.TrimEnd(), 300));
                }
            }
        }
        return report.ToString();
    }

    public override string ToString() => Report();

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
