using System.Text.RegularExpressions;

namespace ModularUsers.Templates.Tests.Support;

// An app generated for one case, step by step as the README tells a user: apply each item
// template, add the Program.cs line each one prints, build, create the migration.
// A step that fails leaves the later ones unrun (null).
public sealed partial class GeneratedApp
{
    private GeneratedApp(AppCase appCase, string projectFolder, string hive)
    {
        Case = appCase;
        ProjectFolder = projectFolder;
        Hive = hive;
    }

    public AppCase Case { get; }
    public string ProjectFolder { get; }
    public string Hive { get; }
    public string ProjectFile => Path.Combine(ProjectFolder, Workspace.AppName + ".csproj");
    public List<CommandResult> TemplateRuns { get; } = [];
    public SortedSet<string> FilesAfterTemplates { get; private set; } = [];
    public List<string> ProgramLines { get; } = [];
    public CommandResult? Build { get; private set; }
    public CommandResult? RunBeforeMigration { get; private set; }
    public CommandResult? Migration { get; private set; }

    public string Describe() => string.Join("\n\n", TemplateRuns.Append(Build).Append(RunBeforeMigration).Append(Migration).OfType<CommandResult>());

    public static async Task<GeneratedApp> CreateAsync(Workspace workspace, AppCase appCase)
    {
        var app = new GeneratedApp(appCase, workspace.NewApp(appCase.Name), workspace.NewHive());
        await workspace.HeavyAsync(async () =>
        {
            foreach (var module in appCase.Modules)
            {
                var run = await app.NewItemAsync(module.ShortName, module == Module.Accounts ? ["--db", appCase.Db] : []);
                app.TemplateRuns.Add(run);
                if (run.ExitCode != 0)
                {
                    return app;
                }
                app.ProgramLines.AddRange(ProgramLine().Matches(run.Output).Select(m => m.Groups[1].Value));
            }
            app.FilesAfterTemplates = FileTree.List(app.ProjectFolder);
            app.AddProgramLines();

            app.Build = await Command.DotnetAsync(app.ProjectFolder, "build", "-warnaserror", "-nologo");
            if (app.Build.ExitCode != 0)
            {
                return app;
            }
            app.RunBeforeMigration = await RunAsync(app.ProjectFolder);
            // The local dotnet-ef tool of the repository (.config/dotnet-tools.json).
            app.Migration = await Command.DotnetAsync(workspace.RepoRoot,
                "ef", "migrations", "add", "CreateUsers", "--context", "UsersDbContext", "--output-dir", "Migrations/Users",
                "--project", app.ProjectFile, "--startup-project", app.ProjectFile, "--no-build");
            return app;
        });
        return app;
    }

    public Task<CommandResult> NewItemAsync(string shortName, params string[] options) =>
        Command.DotnetAsync(ProjectFolder, ["new", shortName, .. options, "--debug:custom-hive", Hive]);

    // `dotnet run` of the built app in Development, stopped if it is still running after a minute.
    public static Task<CommandResult> RunAsync(string projectFolder) =>
        Command.RunAsync(projectFolder, "dotnet",
            [Path.Combine("bin", "Debug", "net10.0", Workspace.AppName + ".dll")],
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            },
            TimeSpan.FromMinutes(1));

    // What the user does with the printed instructions: each line goes after AddRazorPages().
    private void AddProgramLines()
    {
        var program = Path.Combine(ProjectFolder, "Program.cs");
        var anchor = "builder.Services.AddRazorPages();";
        var text = File.ReadAllText(program);
        File.WriteAllText(program, text.Replace(anchor, string.Join("\n", ProgramLines.Prepend(anchor))));
    }

    [GeneratedRegex(@"^\s*(builder\.Services\.Add\w+\([^;]*\);)\s*$", RegexOptions.Multiline)]
    private static partial Regex ProgramLine();
}
