using System.Text.RegularExpressions;

namespace ModularUsers.Templates.Tests.Support;

// An app generated for one case, step by step as the README tells a user. Item templates: apply
// each, add the Program.cs line each one prints, build, create the migration. mu-webapp: create
// the app, build, check that its shipped migration matches the model.
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
    public CommandResult? PendingModelChanges { get; private set; }

    // Built, with a migration that creates the users database: what the specs need.
    public bool IsMigrated => Case.Source == AppSource.WebApp ? PendingModelChanges?.ExitCode == 0 : Migration?.ExitCode == 0;

    public string Describe() => string.Join("\n\n",
        TemplateRuns.Append(Build).Append(RunBeforeMigration).Append(Migration).Append(PendingModelChanges).OfType<CommandResult>());

    public static Task<GeneratedApp> CreateAsync(Workspace workspace, AppCase appCase) =>
        appCase.Source == AppSource.WebApp ? CreateWebAppAsync(workspace, appCase) : CreateFromItemTemplatesAsync(workspace, appCase);

    private static async Task<GeneratedApp> CreateWebAppAsync(Workspace workspace, AppCase appCase)
    {
        var folder = Path.Combine(workspace.Root, "cases", appCase.Name, Workspace.AppName);
        var app = new GeneratedApp(appCase, folder, workspace.NewHive());
        await workspace.HeavyAsync(async () =>
        {
            // The default case passes no switch at all, as in `dotnet new mu-webapp -o Shop`.
            List<string> options = appCase.IsWebAppDefault ? [] : ["--db", appCase.Db];
            if (!appCase.IsWebAppDefault)
            {
                foreach (var module in Module.All.Where(m => m != Module.Accounts))
                {
                    options.AddRange([$"--{module.Name}", appCase.Modules.Contains(module) ? "true" : "false"]);
                }
            }
            var run = await Command.DotnetAsync(workspace.Root,
                ["new", "mu-webapp", "-n", Workspace.AppName, "-o", folder, .. options, "--debug:custom-hive", app.Hive]);
            app.TemplateRuns.Add(run);
            if (run.ExitCode != 0)
            {
                return app;
            }
            app.FilesAfterTemplates = FileTree.List(folder);
            app.ProgramLines.AddRange(PrintedProgramLines(File.ReadAllText(Path.Combine(folder, "Program.cs")))
                .Where(line => line != "builder.Services.AddRazorPages();"));

            app.Build = await Command.DotnetAsync(folder, "build", "-warnaserror", "-nologo");
            if (app.Build.ExitCode != 0)
            {
                return app;
            }
            app.PendingModelChanges = await Command.DotnetAsync(workspace.RepoRoot,
                "ef", "migrations", "has-pending-model-changes", "--context", "UsersDbContext",
                "--project", app.ProjectFile, "--startup-project", app.ProjectFile, "--no-build");
            return app;
        });
        return app;
    }

    private static async Task<GeneratedApp> CreateFromItemTemplatesAsync(Workspace workspace, AppCase appCase)
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
                app.ProgramLines.AddRange(PrintedProgramLines(run.Output));
            }
            app.FilesAfterTemplates = FileTree.List(app.ProjectFolder);
            AddProgramLines(app.ProjectFolder, app.ProgramLines);

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

    // `dotnet run` of the built app in Development, stopped if it is still running after three minutes (a loaded CI machine is slow).
    public static Task<CommandResult> RunAsync(string projectFolder) =>
        Command.RunAsync(projectFolder, "dotnet",
            [Path.Combine("bin", "Debug", "net10.0", Workspace.AppName + ".dll")],
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            },
            TimeSpan.FromMinutes(3));

    // What the user does with the printed instructions: each line goes after AddRazorPages().
    public static void AddProgramLines(string projectFolder, IEnumerable<string> lines)
    {
        var program = Path.Combine(projectFolder, "Program.cs");
        var anchor = "builder.Services.AddRazorPages();";
        var text = File.ReadAllText(program);
        File.WriteAllText(program, text.Replace(anchor, string.Join("\n", lines.Prepend(anchor))));
    }

    public static IEnumerable<string> PrintedProgramLines(string templateOutput) =>
        ProgramLine().Matches(templateOutput).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"^\s*(builder\.Services\.Add\w+\([^;]*\);)\s*$", RegexOptions.Multiline)]
    private static partial Regex ProgramLine();
}
