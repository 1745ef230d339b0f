using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ModularUsers.Templates.Tests.Support;

// An app generated for one case, step by step as the README tells a user. Item templates: apply
// each, add the Program.cs line each one prints, build, create the migration. mu-webapp: create
// the app, build, check that its shipped migration matches the model, start it once on its
// database. Matrix runs the steps for every case; a step that fails leaves the later ones unrun (null).
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

    // SHA-256 over every generated file's path and bytes: equal only for byte-identical apps.
    public string ContentHash { get; private set; } = "";

    // This project's part of the one build of the whole matrix (see Matrix).
    public CommandResult? Build { get; set; }
    public CommandResult? RunBeforeMigration { get; private set; }

    // PostgreSQL and SQL Server: the same run once a connection string is set (to no server:
    // the migrations are checked before the database is reached).
    public CommandResult? RunBeforeMigrationWithConnection { get; private set; }
    public CommandResult? Migration { get; private set; }
    public CommandResult? PendingModelChanges { get; private set; }

    // mu-webapp on SQLite or PostgreSQL: started once in Development on an empty database, which
    // applies the shipped migration of exactly this set of modules.
    public FirstStart? Started { get; private set; }

    public bool Instantiated => TemplateRuns.Count > 0 && TemplateRuns.All(run => run.ExitCode == 0);

    // Built, with a migration that creates the users database and matches the model: what the specs need.
    public bool IsMigrated => Case.Source == AppSource.WebApp
        ? Started?.Answered == true || PendingModelChanges?.ExitCode == 0
        : Migration?.ExitCode == 0;

    public string Describe() => string.Join("\n\n",
        TemplateRuns.Append(Build).Append(RunBeforeMigration).Append(RunBeforeMigrationWithConnection).Append(Migration).Append(PendingModelChanges).OfType<CommandResult>()
            .Select(run => run.ToString())
            .Concat(Started is null ? [] : [Started.ToString()]));

    // The templates only, as the user runs them; the build comes from Matrix.
    public static async Task<GeneratedApp> InstantiateAsync(Workspace workspace, AppCase appCase)
    {
        var app = appCase.Source == AppSource.WebApp
            ? new GeneratedApp(appCase, Path.Combine(workspace.Root, "cases", appCase.Name, Workspace.AppName), workspace.NewHive())
            : new GeneratedApp(appCase, workspace.NewApp(appCase.Name), workspace.NewHive());
        if (appCase.Source == AppSource.WebApp)
        {
            // The default case passes no switch at all, as in `dotnet new mu-webapp -o Shop`.
            List<string> options = appCase.IsWebAppDefault ? [] : ["--db", appCase.Db];
            if (!appCase.IsWebAppDefault)
            {
                foreach (var module in Module.Optional)
                {
                    options.AddRange([$"--{module.Name}", appCase.Modules.Contains(module) ? "true" : "false"]);
                }
                options.AddRange(["--geoip", appCase.GeoIp ? "true" : "false", "--hasher", appCase.Hasher]);
            }
            var run = await Command.DotnetAsync(workspace.Root,
                ["new", "mu-webapp", "-n", Workspace.AppName, "-o", app.ProjectFolder, .. options, "--debug:custom-hive", app.Hive]);
            app.TemplateRuns.Add(run);
            if (run.ExitCode != 0)
            {
                return app;
            }
            app.ProgramLines.AddRange(PrintedProgramLines(File.ReadAllText(Path.Combine(app.ProjectFolder, "Program.cs")))
                .Where(line => line != "builder.Services.AddRazorPages();"));
        }
        else
        {
            foreach (var module in appCase.Modules)
            {
                string[] options = module == Module.Accounts ? ["--db", appCase.Db, "--hasher", appCase.Hasher]
                    : module == Module.Sessions && appCase.GeoIp ? ["--geoip", "true"]
                    : [];
                var run = await app.NewItemAsync(module.ShortName, options);
                app.TemplateRuns.Add(run);
                if (run.ExitCode != 0)
                {
                    return app;
                }
                app.ProgramLines.AddRange(PrintedProgramLines(run.Output));
            }
            AddProgramLines(app.ProjectFolder, app.ProgramLines);
        }
        app.FilesAfterTemplates = FileTree.List(app.ProjectFolder);
        app.ContentHash = HashOf(app.ProjectFolder, app.FilesAfterTemplates);
        return app;
    }

    // After the build: what the README's next steps are for this kind of app.
    public async Task FinishAsync(Workspace workspace)
    {
        if (Build?.ExitCode != 0)
        {
            return;
        }
        if (Case.Source == AppSource.WebApp)
        {
            // The first start checks the model against the migrations before it applies them
            // (UsersDatabaseStartup) and stops if they differ; where no server runs (SQL Server,
            // PostgreSQL without MU_TEST_POSTGRES), dotnet ef makes the same check.
            var postgres = Case.Db == Databases.Postgres ? Environment.GetEnvironmentVariable(SpecRun.PostgresVariable) : null;
            if (Case.Db == Databases.Sqlite || !string.IsNullOrWhiteSpace(postgres))
            {
                Started = await FirstStart.RunAsync(this, postgres);
            }
            else
            {
                PendingModelChanges = await Command.EfAsync(workspace.RepoRoot, ProjectFile, "migrations", "has-pending-model-changes", "--context", "UsersDbContext", "--no-build");
            }
        }
        else
        {
            RunBeforeMigration = await RunAsync(ProjectFolder);
            if (Case.Db != Databases.Sqlite)
            {
                RunBeforeMigrationWithConnection = await RunAsync(ProjectFolder, Case.Db == Databases.Postgres
                    ? "Host=127.0.0.1;Port=1;Database=shop;Username=shop"
                    : "Server=127.0.0.1,1;Database=shop;User Id=shop;Password=unused;TrustServerCertificate=true");
            }
            Migration = await Command.EfAsync(workspace.RepoRoot, ProjectFile,
                "migrations", "add", "CreateUsers", "--context", "UsersDbContext", "--output-dir", "Migrations/Users", "--no-build");
        }
    }

    public Task<CommandResult> NewItemAsync(string shortName, params string[] options) =>
        Command.DotnetAsync(ProjectFolder, ["new", shortName, .. options, "--debug:custom-hive", Hive]);

    // `dotnet run` of the built app in Development, stopped if it is still running after three minutes (a loaded CI machine is slow).
    public static Task<CommandResult> RunAsync(string projectFolder, string? connectionString = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        };
        if (connectionString is not null)
        {
            environment["ConnectionStrings__Users"] = connectionString;
        }
        return Command.RunAsync(projectFolder, "dotnet", [Path.Combine("bin", "Debug", "net10.0", Workspace.AppName + ".dll")], environment, TimeSpan.FromMinutes(3));
    }

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

    private static string HashOf(string folder, IEnumerable<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\0"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(folder, file)));
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    [GeneratedRegex(@"^\s*(builder\.Services\.Add\w+\([^;]*\);)\s*$", RegexOptions.Multiline)]
    private static partial Regex ProgramLine();
}
