using System.Text.RegularExpressions;
using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

// What `dotnet new mu-webapp` produces for every combination of its switches.
public partial class WebAppTests(Workspace workspace)
{
    public static TheoryData<string> Cases => AppCase.Names(c => c.Source == AppSource.WebApp);

    private string WebAppTemplate => Path.Combine(workspace.RepoRoot, "templates", "webapp");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Mu_webapp_creates_the_app_files_and_exactly_the_chosen_modules(string caseName)
    {
        var app = await workspace.GenerateAsync(AppCase.Named(caseName));

        var run = Assert.Single(app.TemplateRuns);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Restore succeeded", run.Output);
        Assert.Contains("dotnet run -- createsuperuser --email", run.Output);
        Assert.Equal(app.Case.Db != Databases.Sqlite, run.Output.Contains("ConnectionStrings:Users"));
        if (app.Case.Db != Databases.Sqlite)
        {
            // What to do before running comes before "dotnet run"; the project has a UserSecretsId,
            // so the printed `dotnet user-secrets set` works as it stands.
            Assert.True(run.Output.IndexOf("Before running", StringComparison.Ordinal) < run.Output.IndexOf("dotnet run ", StringComparison.Ordinal), run.ToString());
            // The app's name (in its namespace form) and a GUID made for this app.
            var project = File.ReadAllText(Path.Combine(app.ProjectFolder, Workspace.AppName + ".csproj"));
            Assert.Matches("<UserSecretsId>Acme\\.Shop_2-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}</UserSecretsId>", project);
            Assert.DoesNotContain("8d3c1f52-6a4e-4b7e-9a61-2f0c5d7e9b13", project);
        }

        var expected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in FileTree.List(WebAppTemplate))
        {
            if (file.StartsWith(".template.config/") || file == "Directory.Build.targets" || file.StartsWith("Migrations/"))
            {
                continue;
            }
            expected.Add(file == "ModularUsersApp.csproj" ? Workspace.AppName + ".csproj" : file);
        }
        var migrationFolder = Path.Combine(WebAppTemplate, "Migrations", MigrationFolder(app.Case.Db));
        expected.UnionWith(FileTree.List(migrationFolder).Select(f => "Migrations/Users/" + f));
        foreach (var module in app.Case.Modules)
        {
            expected.UnionWith(module.Files(workspace.RepoRoot, app.Case.GeoIp, app.Case.Db));
        }
        Assert.Equal(expected, app.FilesAfterTemplates);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Program_cs_wires_the_chosen_modules_and_the_menu_links_their_pages(string caseName)
    {
        var app = await workspace.GenerateAsync(AppCase.Named(caseName));

        Assert.Equal(app.Case.Modules.Select(m => m.ProgramLine), app.ProgramLines);
        var layout = File.ReadAllText(Path.Combine(app.ProjectFolder, "Pages", "Shared", "_Layout.cshtml"));
        Assert.Contains("<partial name=\"~/Pages/Accounts/_AccountsNav.cshtml\" />", layout);
        Assert.Equal(app.Case.Modules.Contains(Module.Logs), layout.Contains("asp-page=\"/Logs/Index\""));
        Assert.Equal(app.Case.Modules.Contains(Module.TwoFactor), layout.Contains("asp-page=\"/TwoFactor/Index\""));
        Assert.Equal(app.Case.Modules.Contains(Module.Profiles), layout.Contains("asp-page=\"/Profiles/Index\""));
        var readme = File.ReadAllText(Path.Combine(app.ProjectFolder, "README.md"));
        Assert.StartsWith($"# {Workspace.RootNamespace}\n", readme);
        Assert.All(Module.All, m => Assert.Equal(app.Case.Modules.Contains(m), readme.Contains($"- `{m.Folder}`")));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_namespace_is_under_the_project_root_namespace_and_no_template_syntax_remains(string caseName)
    {
        var app = await workspace.GenerateAsync(AppCase.Named(caseName));

        foreach (var relative in app.FilesAfterTemplates.Where(f => !f.StartsWith("wwwroot/lib/") && !f.EndsWith(".ico")))
        {
            var text = File.ReadAllText(Path.Combine(app.ProjectFolder, relative));
            Assert.DoesNotContain("ModularUsersApp", text);
            Assert.DoesNotContain("TODO", text);
            Assert.False(TemplateSyntax().IsMatch(text), $"{relative} still holds template syntax");
            foreach (Match declaration in NamespaceDeclaration().Matches(text))
            {
                var name = declaration.Groups[1].Value;
                Assert.True(
                    name == Workspace.RootNamespace + ".Pages" || name.StartsWith(Workspace.RootNamespace + ".Pages.", StringComparison.Ordinal)
                        || name == Workspace.RootNamespace + ".Migrations.Users" || name == "Microsoft.Extensions.DependencyInjection",
                    $"{relative} declares namespace {name}");
            }
        }
        var project = File.ReadAllText(app.ProjectFile);
        Assert.Contains($"<RootNamespace>{Workspace.RootNamespace}</RootNamespace>", project);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_project_references_pinned_packages_for_the_chosen_modules_and_database_only(string caseName)
    {
        var app = await workspace.GenerateAsync(AppCase.Named(caseName));

        var project = File.ReadAllText(app.ProjectFile);
        foreach (var package in Module.All.SelectMany(m => m.Packages).Concat(Module.GeoIpPackages).Append(Module.LibsodiumPackage))
        {
            var present = Regex.IsMatch(project, $"<PackageReference Include=\"{Regex.Escape(package)}\" Version=\"\\d+\\.\\d+\\.\\d+\"");
            Assert.True(app.Case.Packages.Contains(package) == present, $"{package} present: {present}\n{project}");
        }
        foreach (var db in new[] { Databases.Sqlite, Databases.Postgres, Databases.SqlServer })
        {
            Assert.Equal(db == app.Case.Db, project.Contains(Databases.ProviderPackage(db)));
        }
        Assert.DoesNotContain("Identity", project);
        var tools = File.ReadAllText(Path.Combine(app.ProjectFolder, ".config", "dotnet-tools.json"));
        Assert.Matches("\"dotnet-ef\": \\{\\s*\"version\": \"10\\.0\\.15\"", tools);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_shipped_migration_creates_the_chosen_modules_tables_and_matches_the_model(string caseName)
    {
        var app = await workspace.GenerateAsync(AppCase.Named(caseName));

        // Compared by the first start where it runs (see the test above), by dotnet ef elsewhere.
        if (app.Started is null)
        {
            Assert.NotNull(app.PendingModelChanges);
            Assert.True(app.PendingModelChanges.ExitCode == 0, app.Describe());
            Assert.Contains("No changes have been made to the model since the last migration", app.PendingModelChanges.Output);
        }
        else
        {
            Assert.True(app.Started.Answered, app.Describe());
        }
        var migration = Directory.GetFiles(Path.Combine(app.ProjectFolder, "Migrations", "Users"), "*_CreateUsers.cs").Single();
        var text = File.ReadAllText(migration);
        foreach (var module in Module.All)
        {
            Assert.All(module.Tables, table => Assert.Equal(app.Case.Modules.Contains(module), text.Contains($"name: \"{table}\"")));
        }
        Assert.Contains($"type: \"{Databases.EmailColumnType(app.Case.Db)}\"", text);
    }

    public static TheoryData<string> StartedCases => AppCase.Names(c => c.Source == AppSource.WebApp && c.Db != Databases.SqlServer);

    // Every shipped migration variant is applied, not only compared with the model: each app on
    // SQLite and PostgreSQL starts once in Development on an empty database, which then holds
    // exactly its modules' tables; a first user registers (with the email module, confirming the
    // address from the Development mailbox page as a user of `dotnet run` does) and the menu links
    // exactly its modules.
    // (SQL Server's migrations are generated and compared, never applied: no server runs here.)
    [Theory]
    [MemberData(nameof(StartedCases))]
    public async Task The_first_start_applies_the_shipped_migration_with_exactly_the_chosen_tables(string caseName)
    {
        var appCase = AppCase.Named(caseName);
        if (appCase.Db == Databases.Postgres)
        {
            SpecRun.Postgres();
        }
        var app = await workspace.GenerateAsync(appCase);

        Assert.True(app.Started is { Answered: true }, app.Describe());
        // EF Core's own: the migrations applied, and on SQLite the lock it takes while applying them.
        string[] efTables = appCase.Db == Databases.Sqlite ? ["__EFMigrationsHistory", "__EFMigrationsLock"] : ["__EFMigrationsHistory"];
        string[] searchIndex = appCase.Db == Databases.Sqlite && appCase.Modules.Contains(Module.Logs) ? Module.LogsSearchTablesOnSqlite : [];
        var expected = new SortedSet<string>(appCase.Modules.SelectMany(m => m.Tables).Concat(efTables).Concat(searchIndex), StringComparer.Ordinal);
        Assert.Equal(expected, app.Started.Tables);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, app.Started.Registered.Status);
        // Email:RequireConfirmedEmail is on by default: the registration signs nobody in and only
        // mails a link; without the module the user is signed in at once.
        var email = appCase.Modules.Contains(Module.Email);
        Assert.True(email == app.Started.Registered.ConfirmedByMail, app.Describe());
        if (email)
        {
            Assert.Equal("/Email/CheckInbox?for=registration", app.Started.Registered.RedirectedTo);
            Assert.Equal(System.Net.HttpStatusCode.Redirect, app.Started.Registered.SignedIn);
        }
        Assert.True(app.Started.HomePage.Contains("first@example.com"), app.Describe());
        Assert.Equal(appCase.Modules.Contains(Module.Logs), app.Started.HomePage.Contains("href=\"/Logs/MySignIns\""));
        Assert.Equal(appCase.Modules.Contains(Module.TwoFactor), app.Started.HomePage.Contains("href=\"/TwoFactor\""));
        Assert.Equal(appCase.Modules.Contains(Module.Profiles), app.Started.HomePage.Contains("href=\"/Profiles\""));
        // The email module's link in the user menu (accounts' _AccountsNav, an AccountLink).
        Assert.Equal(email, app.Started.HomePage.Contains("href=\"/Email/ChangeEmail\""));
        // And its link on the sign-in page (an AccountLink for the sign-in page).
        Assert.Equal(email, app.Started.SignInPage.Contains("href=\"/Email/ForgotPassword\""));
        Assert.Equal(appCase.Modules.Contains(Module.Sessions), app.Started.HomePage.Contains("href=\"/Sessions\""));
    }

    // `dotnet new mu-webapp -o Shop && cd Shop && dotnet run`: no other step. The first user
    // registers, confirms the address from the Development mailbox page (no SMTP server is
    // configured) and signs in.
    [Fact]
    public async Task The_default_app_runs_with_no_other_step()
    {
        var app = await workspace.GenerateAsync(AppCase.All().Single(c => c.IsWebAppDefault));
        Assert.True(app.IsMigrated, app.Describe());
        var folder = Path.Combine(workspace.Root, "cases", "webapp-default-run", Workspace.AppName);
        FileTree.CopyWithoutBuildOutput(app.ProjectFolder, folder);

        await using var running = await RunningApp.StartAsync(folder, connectionString: null);
        using var client = running.NewClient();

        var home = await client.GetStringAsync("/");
        Assert.Contains("href=\"/Accounts/Register\"", home);
        var stylesheet = Regex.Match(home, "href=\"(/lib/bootstrap/dist/css/bootstrap\\.min[^\"]*\\.css)\"");
        Assert.True(stylesheet.Success, home);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(stylesheet.Groups[1].Value)).StatusCode);
        var registered = await RunningApp.RegisterAndSignInAsync(client, "first@example.com", "correct horse battery");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, registered.Status);
        Assert.True(registered.ConfirmedByMail, $"{registered}");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, registered.SignedIn);
        Assert.Contains("first@example.com", await client.GetStringAsync("/"));
        Assert.True(File.Exists(Path.Combine(folder, "users.db")));
    }

    private static string MigrationFolder(string db) => db switch
    {
        Databases.Sqlite => "Sqlite",
        Databases.Postgres => "Postgres",
        Databases.SqlServer => "SqlServer",
        _ => throw new ArgumentOutOfRangeException(nameof(db), db, null),
    };

    [GeneratedRegex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^\s*(#if \(|#endif|<!--#|@\*#)", RegexOptions.Multiline)]
    private static partial Regex TemplateSyntax();
}
