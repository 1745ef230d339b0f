using System.Text;
using System.Xml.Linq;

namespace ModularUsers.Templates.Tests.Support;

// Every case of AppCase.All(), made in three phases so that the cores stay busy and nothing is done
// twice: instantiate every app (the templates, as the user runs them), compile them all as one
// MSBuild graph (one restore, one set of build nodes, projects side by side), then each app's next
// steps (item templates: the start-up message and `dotnet ef migrations add`; mu-webapp: the model
// check and a first start on an empty database).
public sealed class Matrix
{
    private Matrix(IReadOnlyDictionary<string, GeneratedApp> apps)
    {
        Apps = apps;
    }

    public IReadOnlyDictionary<string, GeneratedApp> Apps { get; }

    public static async Task<Matrix> CreateAsync(Workspace workspace)
    {
        var cases = AppCase.All().ToList();
        var apps = await Task.WhenAll(cases.Select(appCase => workspace.HeavyAsync(() =>
            Timings.TimeAsync("instantiate (dotnet new)", appCase.Name, () => GeneratedApp.InstantiateAsync(workspace, appCase)))));

        // A byte-identical app is compiled once and its build output copied. None is expected:
        // each case differs from the others in its modules, their order, its database or how it
        // was made, and the file and package tests check those differences.
        var groups = apps.Where(app => app.Instantiated).GroupBy(app => app.ContentHash).ToList();
        var compiled = groups.Select(group => group.First()).ToList();
        var builds = await workspace.HeavyAsync(() => Timings.TimeAsync("compile (one MSBuild graph)", $"{compiled.Count} distinct apps of {apps.Length}",
            () => BuildAllAsync(workspace, compiled)));
        foreach (var group in groups)
        {
            var first = group.First();
            first.Build = builds[first.ProjectFile];
            foreach (var copy in group.Skip(1))
            {
                copy.Build = first.Build with { Output = $"Byte-identical to {first.Case.Name}: compiled once, build output copied.\n{first.Build.Output}" };
                if (first.Build.ExitCode == 0)
                {
                    FileTree.Copy(Path.Combine(first.ProjectFolder, "bin"), Path.Combine(copy.ProjectFolder, "bin"));
                }
            }
        }

        // The apps the behaviour specs run against first, so their runs can start early.
        var specApps = SpecRunCase.All().Select(run => run.App.Name).ToHashSet();
        await Task.WhenAll(apps.Where(app => app.Build is not null)
            .OrderBy(app => specApps.Contains(app.Case.Name) ? 0 : 1)
            .Select(app => workspace.HeavyAsync(() =>
                Timings.TimeAsync("migrate, start once (after the build)", app.Case.Name, async () => { await app.FinishAsync(workspace); return app; }))));

        return new Matrix(apps.ToDictionary(app => app.Case.Name));
    }

    // One `dotnet build` of a solution holding every app, warnings as errors; each project's
    // result is its own errors and warnings from the build's error and warning logs, whose lines
    // end with the project they belong to.
    private static async Task<Dictionary<string, CommandResult>> BuildAllAsync(Workspace workspace, List<GeneratedApp> apps)
    {
        var folder = Directory.CreateDirectory(Path.Combine(workspace.Root, "matrix")).FullName;
        var solution = Path.Combine(folder, "matrix.slnx");
        new XDocument(new XElement("Solution", apps.Select((app, index) =>
                new XElement("Folder", new XAttribute("Name", $"/{index:D2}/"),
                    new XElement("Project", new XAttribute("Path", Path.GetRelativePath(folder, app.ProjectFile)))))))
            .Save(solution);
        var errorLog = Path.Combine(folder, "errors.log");
        var warningLog = Path.Combine(folder, "warnings.log");
        var run = await Command.RunAsync(folder, "dotnet",
            [
                "build", solution, "-nologo", "-warnaserror", $"-maxCpuCount:{Environment.ProcessorCount}",
                $"-flp1:logfile={errorLog};errorsonly", $"-flp2:logfile={warningLog};warningsonly",
            ],
            timeout: TimeSpan.FromMinutes(40));
        var lines = (File.Exists(errorLog) ? File.ReadAllLines(errorLog) : [])
            .Concat(File.Exists(warningLog) ? File.ReadAllLines(warningLog) : [])
            .Where(line => line.Trim().Length > 0)
            .Distinct()
            .ToList();

        var results = new Dictionary<string, CommandResult>();
        foreach (var app in apps)
        {
            var own = lines.Where(line => line.EndsWith($"[{app.ProjectFile}]", StringComparison.Ordinal)).ToList();
            var built = File.Exists(Path.Combine(app.ProjectFolder, "bin", "Debug", "net10.0", Workspace.AppName + ".dll"));
            var output = new StringBuilder()
                .AppendLine($"Built with the other {apps.Count - 1} apps of the matrix ({solution}), warnings as errors.")
                .AppendLine(own.Count == 0 ? "0 Warning(s), 0 Error(s) for this project." : $"{own.Count} error or warning lines for this project:");
            own.ForEach(line => output.AppendLine(line));
            var succeeded = own.Count == 0 && built;
            if (!succeeded && own.Count == 0)
            {
                // Failed before any project compiled (a restore, say): the whole build's end.
                output.AppendLine(run.ToString());
            }
            results[app.ProjectFile] = new CommandResult($"{run.CommandLine} (this project)", succeeded ? 0 : 1, output.ToString(), run.Elapsed);
        }
        return results;
    }
}
