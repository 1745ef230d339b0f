using System.Text.RegularExpressions;
using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

// What each combination of item templates produces, checked as a user would see it.
public partial class GeneratedAppTests(Workspace workspace)
{
    public static TheoryData<string> Cases => AppCase.Names(c => c.Source == AppSource.ItemTemplates);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_templates_succeed_and_add_exactly_the_module_files(string caseName)
    {
        var app = await workspace.GenerateAsync(AppCase.Named(caseName));

        Assert.All(app.TemplateRuns, run => Assert.True(run.ExitCode == 0, run.ToString()));
        var expected = new SortedSet<string>(workspace.BaseAppFiles, StringComparer.Ordinal);
        foreach (var module in app.Case.Modules)
        {
            expected.UnionWith(module.Files(workspace.RepoRoot, app.Case.GeoIp, app.Case.Db));
        }
        Assert.Equal(expected, app.FilesAfterTemplates);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_template_prints_its_one_program_line_and_the_ef_commands(string caseName)
    {
        var app = await workspace.GenerateAsync(AppCase.Named(caseName));

        Assert.Equal(app.Case.Modules.Select(m => m.ProgramLine), app.ProgramLines);
        Assert.All(app.TemplateRuns, run => Assert.Contains("dotnet ef migrations add", run.Output));
        var accounts = app.TemplateRuns[0].Output;
        Assert.Contains("dotnet ef migrations add CreateUsers --context UsersDbContext --output-dir Migrations/Users", accounts);
        Assert.Contains("dotnet tool install dotnet-ef --version 10.0.15", accounts);
        Assert.Contains("<partial name=\"~/Pages/Accounts/_AccountsNav.cshtml\" />", accounts);
        Assert.Contains("dotnet run -- createsuperuser --email", accounts);
        Assert.Equal(app.Case.Db != Databases.Sqlite, accounts.Contains("ConnectionStrings:Users"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_namespace_is_under_the_project_root_namespace_and_no_placeholder_remains(string caseName)
    {
        var app = await workspace.GenerateAsync(AppCase.Named(caseName));

        foreach (var module in app.Case.Modules)
        {
            var files = Directory.GetFiles(Path.Combine(app.ProjectFolder, module.Folder), "*", SearchOption.AllDirectories);
            Assert.NotEmpty(files);
            foreach (var file in files)
            {
                var text = File.ReadAllText(file);
                Assert.DoesNotContain("ModularUsersApp", text);
                Assert.DoesNotContain("TODO", text);
                foreach (Match declaration in NamespaceDeclaration().Matches(text))
                {
                    var name = declaration.Groups[1].Value;
                    Assert.True(
                        name.StartsWith(Workspace.RootNamespace + ".Pages.", StringComparison.Ordinal) || name == "Microsoft.Extensions.DependencyInjection",
                        $"{file} declares namespace {name}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_packages_are_added_with_pinned_versions(string caseName)
    {
        var app = await workspace.GenerateAsync(AppCase.Named(caseName));

        var project = File.ReadAllText(app.ProjectFile);
        var packages = app.Case.Packages.Append(Databases.ProviderPackage(app.Case.Db));
        foreach (var package in packages)
        {
            Assert.Matches($"<PackageReference Include=\"{Regex.Escape(package)}\" Version=\"\\d+\\.\\d+\\.\\d+\"", project);
        }
        var otherProviders = new[] { Databases.Sqlite, Databases.Postgres, Databases.SqlServer }
            .Where(db => db != app.Case.Db).Select(Databases.ProviderPackage);
        Assert.All(otherProviders, provider => Assert.DoesNotContain(provider, project));
        Assert.DoesNotContain("Identity", project);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Dotnet_ef_creates_the_migration_for_the_chosen_database(string caseName)
    {
        var app = await workspace.GenerateAsync(AppCase.Named(caseName));

        Assert.NotNull(app.Migration);
        Assert.True(app.Migration.ExitCode == 0, app.Describe());
        var migration = Directory.GetFiles(Path.Combine(app.ProjectFolder, "Migrations", "Users"), "*_CreateUsers.cs").Single();
        var text = File.ReadAllText(migration);
        foreach (var table in app.Case.Modules.SelectMany(m => m.Tables))
        {
            Assert.Contains($"name: \"{table}\"", text);
        }
        Assert.Contains($"type: \"{Databases.EmailColumnType(app.Case.Db)}\"", text);
        Assert.Contains("IX_Users_NormalizedEmail", text);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Running_before_the_first_migration_stops_with_the_command_that_fixes_it(string caseName)
    {
        var app = await workspace.GenerateAsync(AppCase.Named(caseName));

        var firstMigration = "The users database has no migrations yet. Create the first one from the project folder: "
            + "dotnet ef migrations add CreateUsers --context UsersDbContext --output-dir Migrations/Users";
        var run = app.RunBeforeMigration;
        Assert.NotNull(run);
        // An expected refusal: exit code 1 and the message once, without a stack trace.
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.DoesNotContain("Now listening on", run.Output);
        Assert.DoesNotContain("Unhandled exception", run.Output);
        Assert.DoesNotMatch(@"(?m)^\s+at \S+\(", run.Output);
        Assert.Equal(1, Regex.Count(run.Output, "The users database has no (migrations yet|connection string)"));
        if (app.Case.Db == Databases.Sqlite)
        {
            Assert.True(run.Output.Contains(firstMigration), run.ToString());
        }
        else
        {
            // SQLite has a default connection string; the others ask for one first, then for the migration.
            Assert.True(run.Output.Contains("The users database has no connection string. Set ConnectionStrings:Users"), run.ToString());
            var withConnection = app.RunBeforeMigrationWithConnection;
            Assert.NotNull(withConnection);
            Assert.True(withConnection.ExitCode != 0 && withConnection.Output.Contains(firstMigration), withConnection.ToString());
        }
    }

    [Fact]
    public async Task A_model_change_without_a_migration_stops_the_app_with_the_command_to_run()
    {
        var generated = await workspace.GenerateAsync(AppCase.All().First(c => c.Db == Databases.Sqlite && c.Source == AppSource.ItemTemplates));
        Assert.True(generated.Migration?.ExitCode == 0, generated.Describe());
        var app = Path.Combine(workspace.Root, "cases", "model-change", Workspace.AppName);
        FileTree.CopyWithoutBuildOutput(generated.ProjectFolder, app);
        var user = Path.Combine(app, "Pages", "Accounts", "User.cs");
        File.WriteAllText(user, File.ReadAllText(user).Replace(
            "public bool IsActive { get; set; } = true;",
            "public bool IsActive { get; set; } = true;\n\n    public string? Nickname { get; set; }"));

        var build = await workspace.HeavyAsync(() => Command.DotnetAsync(app, "build", "-nologo"));
        Assert.True(build.ExitCode == 0, build.ToString());
        var run = await GeneratedApp.RunAsync(app);

        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Contains("The user system's model has changes that no migration describes. Add one from the project folder: " +
            "dotnet ef migrations add <Name> --context UsersDbContext --output-dir Migrations/Users", run.Output);
    }

    // mu-logs prints two lines for the migration that make its search index (EF Core cannot make it
    // from the model); followed as a user would, they build and `dotnet ef database update` creates
    // it. An app of its own (accounts and logs on SQLite), so that it needs none of the matrix.
    [Fact]
    public async Task Following_the_printed_search_index_step_creates_the_logs_search_index()
    {
        var app = workspace.NewApp("search-index-step");
        var hive = workspace.NewHive();
        var accounts = await Command.DotnetAsync(app, "new", "mu-accounts", "--db", Databases.Sqlite, "--debug:custom-hive", hive);
        var logs = await Command.DotnetAsync(app, "new", "mu-logs", "--debug:custom-hive", hive);
        Assert.True(accounts.ExitCode == 0 && logs.ExitCode == 0, accounts.ToString() + logs);
        GeneratedApp.AddProgramLines(app, GeneratedApp.PrintedProgramLines(accounts.Output + logs.Output));
        var project = Path.Combine(app, Workspace.AppName + ".csproj");
        var build = await workspace.HeavyAsync(() => Command.DotnetAsync(app, "build", "-nologo"));
        Assert.True(build.ExitCode == 0, build.ToString());
        var migration = await Command.EfAsync(workspace.RepoRoot, project,
            "migrations", "add", "CreateUsers", "--context", "UsersDbContext", "--output-dir", "Migrations/Users", "--no-build");
        Assert.True(migration.ExitCode == 0, migration.ToString());

        var printed = SearchIndexLine().Matches(logs.Output).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["LogsSearchIndex.Create(migrationBuilder);", "LogsSearchIndex.Drop(migrationBuilder);"], printed);
        var file = Directory.GetFiles(Path.Combine(app, "Migrations", "Users"), "*_CreateUsers.cs").Single();
        const string betweenUpAndDown = "        }\n\n        /// <inheritdoc />\n        protected override void Down(MigrationBuilder migrationBuilder)\n        {\n";
        var text = File.ReadAllText(file).ReplaceLineEndings("\n");
        Assert.Contains(betweenUpAndDown, text);
        File.WriteAllText(file, text.Replace(betweenUpAndDown, $"            {printed[0]}\n{betweenUpAndDown}            {printed[1]}\n"));

        var rebuild = await workspace.HeavyAsync(() => Command.DotnetAsync(app, "build", "-nologo"));
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        var database = Path.Combine(app, "search-index.db");
        var update = await Command.EfAsync(workspace.RepoRoot, project,
            "database", "update", "--context", "UsersDbContext", "--no-build", "--connection", $"Data Source={database}");
        Assert.True(update.ExitCode == 0, update.ToString());

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE name LIKE 'AuthEventsSearch%' AND type IN ('table', 'trigger')";
        var names = await FirstStart.ReadNamesAsync(command);
        Assert.Contains("AuthEventsSearch", names);
        Assert.Contains("AuthEventsSearch_Insert", names);
        Assert.Contains("AuthEventsSearch_Delete", names);
        Assert.Contains("AuthEventsSearch_Update", names);
    }

    [GeneratedRegex(@"^\s+(LogsSearchIndex\.\w+\(migrationBuilder\);)\s*$", RegexOptions.Multiline)]
    private static partial Regex SearchIndexLine();

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();
}
