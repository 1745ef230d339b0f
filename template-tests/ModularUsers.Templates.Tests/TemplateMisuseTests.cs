using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

// Running a template in the wrong place or with a wrong option gives a clear message, a failing
// exit code, and leaves every file as it was.
public class TemplateMisuseTests(Workspace workspace)
{
    [Theory]
    [MemberData(nameof(ModuleNames))]
    public async Task Outside_a_project_it_refuses_and_says_why(string moduleName)
    {
        var module = Module.All.Single(m => m.Name == moduleName);
        var folder = Directory.CreateDirectory(Path.Combine(workspace.Root, "misuse", $"empty-{module.Name}")).FullName;

        var run = await NewItemAsync(folder, module);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("No project was found", run.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public async Task In_a_folder_with_two_project_files_it_refuses_and_names_them()
    {
        var app = workspace.NewApp("misuse-two-projects");
        File.Copy(Path.Combine(app, Workspace.AppName + ".csproj"), Path.Combine(app, "Other.csproj"));
        var before = Snapshot(app);

        var run = await NewItemAsync(app, Module.Accounts);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Multiple projects found", run.Output);
        Assert.Contains("Other.csproj", run.Output);
        Assert.Equal(before, Snapshot(app));
    }

    [Fact]
    public async Task In_an_unrestored_project_it_asks_for_a_restore_instead_of_guessing_the_namespace()
    {
        var app = workspace.NewApp("misuse-unrestored");
        Directory.Delete(Path.Combine(app, "obj"), recursive: true);
        var before = Snapshot(app);

        var run = await NewItemAsync(app, Module.Accounts);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("is not restored. Run 'dotnet restore", run.Output);
        Assert.Equal(before, Snapshot(app));
    }

    [Fact]
    public async Task In_a_project_that_is_not_aspnet_core_it_refuses()
    {
        var folder = Path.Combine(workspace.Root, "misuse", "console");
        var created = await Command.DotnetAsync(workspace.Root, "new", "console", "-o", folder, "--debug:custom-hive", workspace.NewHive());
        Assert.True(created.ExitCode == 0, created.ToString());
        var before = Snapshot(folder);

        var run = await NewItemAsync(folder, Module.Accounts);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("needs project capability 'AspNetCore & CSharp'", run.Output);
        Assert.Equal(before, Snapshot(folder));
    }

    [Fact]
    public async Task Running_a_template_twice_changes_nothing_the_second_time()
    {
        var app = workspace.NewApp("misuse-twice");
        var hive = workspace.NewHive();
        var first = await Command.DotnetAsync(app, "new", "mu-accounts", "--debug:custom-hive", hive);
        Assert.True(first.ExitCode == 0, first.ToString());
        const string edited = "// my change\n";
        File.AppendAllText(Path.Combine(app, "Pages/Accounts/UserRole.cs"), edited);
        var before = Snapshot(app);

        var second = await Command.DotnetAsync(app, "new", "mu-accounts", "--debug:custom-hive", hive);

        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("Creating this template will make changes to existing files", second.Output);
        Assert.Equal(before, Snapshot(app));
        Assert.EndsWith(edited, File.ReadAllText(Path.Combine(app, "Pages/Accounts/UserRole.cs")));
    }

    // The engine has no condition on a folder being present, so the module is added, and its
    // printed steps say first of all that accounts must come first.
    [Theory]
    [MemberData(nameof(ModulesNeedingAccounts))]
    public async Task A_module_added_without_accounts_adds_only_its_folder_and_says_that_accounts_come_first(string moduleName)
    {
        var module = Module.All.Single(m => m.Name == moduleName);
        var app = workspace.NewApp($"misuse-{module.Name}-alone");
        var before = Snapshot(app);

        var run = await NewItemAsync(app, module);

        Assert.True(run.ExitCode == 0, run.ToString());
        var added = Snapshot(app).Where(file => !before.ContainsKey(file.Key) || before[file.Key] != file.Value).Select(file => file.Key).ToList();
        var moduleFiles = module.Files(workspace.RepoRoot).ToList();
        var projectFile = Workspace.AppName + ".csproj";
        Assert.Equal(moduleFiles.Concat(module.Packages.Length > 0 ? [projectFile] : []).Order(StringComparer.Ordinal), added.Order(StringComparer.Ordinal));
        Assert.All(before.Keys, file => Assert.True(File.Exists(Path.Combine(app, file)), $"{file} was removed"));
        Assert.Matches(@"(It|They) needs? the accounts module \(Pages/Accounts, from dotnet new mu-accounts\)", run.Output);

        // Built anyway, the first error is in a file of the module (its AboutThisModule.cs, or for
        // logs the migration helper it adds, which sorts first) that says what to do.
        var build = await Command.DotnetAsync(app, "build", "-nologo", "-tl:off");
        Assert.NotEqual(0, build.ExitCode);
        var firstError = build.Output.Split('\n').First(line => line.Contains(": error ")).Replace('\\', '/');
        var file = moduleFiles.SingleOrDefault(f => firstError.Contains($"{app.Replace('\\', '/')}/{f}("));
        Assert.True(file is not null, firstError);
        Assert.Contains("'AccountsModule' does not exist", firstError);
        Assert.Contains("dotnet new mu-accounts", File.ReadAllText(Path.Combine(app, file)));
        Assert.Contains("dotnet new mu-accounts", File.ReadAllText(Path.Combine(app, module.Folder, "AboutThisModule.cs")));
    }

    // Offline, or a private feed without one of the packages: each package that cannot be added
    // prints its `dotnet add package` line, and the steps after it still print.
    [Theory]
    [MemberData(nameof(ModulesWithPackages))]
    public async Task With_a_package_feed_that_lacks_its_packages_it_still_prints_every_instruction(string moduleName)
    {
        var module = Module.All.Single(m => m.Name == moduleName);
        var app = workspace.NewApp($"misuse-{module.Name}-offline");
        var feed = Directory.CreateDirectory(Path.Combine(workspace.Root, "misuse", $"empty-feed-{module.Name}")).FullName;
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="empty" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        // An empty package cache as well: a package cached by another test would be found there.
        var cache = Directory.CreateDirectory(Path.Combine(workspace.Root, "misuse", $"empty-cache-{module.Name}")).FullName;

        var run = await Command.RunAsync(app, "dotnet", ["new", module.ShortName, "--debug:custom-hive", workspace.NewHive()],
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = cache });

        Assert.All(module.Packages, package => Assert.Contains($"Manual instructions: dotnet add package {package} --version ", run.Output));
        Assert.Contains(module.ProgramLine, run.Output);
        Assert.Contains("dotnet ef migrations add", run.Output);
        Assert.True(Directory.Exists(Path.Combine(app, module.Folder)), run.ToString());
    }

    // A capability cannot say "Razor Pages", so the engine accepts an MVC app; its printed steps
    // name the two lines Razor Pages need, and an app started without them stops at once, with
    // one line saying so, instead of sending every sign-in to a 404.
    [Fact]
    public async Task In_an_mvc_app_the_steps_name_razor_pages_and_the_app_refuses_to_start_without_them()
    {
        var folder = Path.Combine(workspace.Root, "misuse", "mvc");
        var hive = workspace.NewHive();
        var created = await Command.DotnetAsync(workspace.Root, "new", "mvc", "-o", folder, "--debug:custom-hive", hive);
        Assert.True(created.ExitCode == 0, created.ToString());

        var added = await Command.DotnetAsync(folder, "new", "mu-accounts", "--debug:custom-hive", hive);
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("builder.Services.AddRazorPages();", added.Output);
        Assert.Contains("app.MapRazorPages();", added.Output);

        AddAccountsLine(folder, "builder.Services.AddControllersWithViews();");
        var run = await RunAsync(folder);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("The accounts module's sign-in page /Accounts/Login is not a page of this app", run.Output);
        Assert.DoesNotContain("Now listening on", run.Output);
        Assert.DoesNotContain("Unhandled exception", run.Output);
    }

    // Two user systems side by side (Identity's menu would still offer its own register and sign-in):
    // the app with both stops at start-up and says why.
    [Fact]
    public async Task In_an_app_that_uses_aspnet_core_identity_the_app_refuses_to_start_beside_it()
    {
        var folder = Path.Combine(workspace.Root, "misuse", "identity");
        var hive = workspace.NewHive();
        var created = await Command.DotnetAsync(workspace.Root, "new", "webapp", "--auth", "Individual", "-o", folder, "--debug:custom-hive", hive);
        Assert.True(created.ExitCode == 0, created.ToString());
        var added = await Command.DotnetAsync(folder, "new", "mu-accounts", "--debug:custom-hive", hive);
        Assert.True(added.ExitCode == 0, added.ToString());
        AddAccountsLine(folder, "builder.Services.AddRazorPages();");

        var run = await RunAsync(folder);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("This app already uses ASP.NET Core Identity", run.Output);
        Assert.DoesNotContain("Now listening on", run.Output);
    }

    // Run from Pages/, the module lands in Pages/Pages/Accounts, where its pages get other routes.
    [Fact]
    public async Task Added_from_the_pages_folder_the_app_refuses_to_start_and_says_where_the_module_belongs()
    {
        var app = workspace.NewApp("misuse-from-pages");
        var added = await Command.DotnetAsync(Path.Combine(app, "Pages"), "new", "mu-accounts", "--debug:custom-hive", workspace.NewHive());
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.True(Directory.Exists(Path.Combine(app, "Pages", "Pages", "Accounts")), added.ToString());
        AddAccountsLine(app, "builder.Services.AddRazorPages();");

        var run = await RunAsync(app);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("keep the module in Pages/Accounts of the project folder", run.Output);
    }

    [Fact]
    public async Task Mu_webapp_with_an_unknown_database_lists_the_choices_and_creates_nothing()
    {
        var parent = Directory.CreateDirectory(Path.Combine(workspace.Root, "misuse", "webapp-mysql")).FullName;

        var run = await Command.DotnetAsync(parent, "new", "mu-webapp", "-o", "Shop", "--db", "mysql", "--debug:custom-hive", workspace.NewHive());

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("'mysql' is not a valid value for --db", run.Output);
        Assert.Contains("sqlserver", run.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    [Fact]
    public async Task Mu_webapp_over_an_existing_app_refuses_and_changes_nothing()
    {
        var app = workspace.NewApp("misuse-webapp-over-app");
        var before = Snapshot(app);

        var run = await Command.DotnetAsync(app, "new", "mu-webapp", "-n", Workspace.AppName, "-o", ".", "--no-restore", "--debug:custom-hive", workspace.NewHive());

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Creating this template will make changes to existing files", run.Output);
        Assert.Equal(before, Snapshot(app));
    }

    public static TheoryData<string> ModulesNeedingAccounts => new(Module.All.Where(m => m != Module.Accounts).Select(m => m.Name));

    public static TheoryData<string> ModuleNames => new(Module.All.Select(m => m.Name));

    public static TheoryData<string> ModulesWithPackages => new(Module.All.Where(m => m.Packages.Length > 0).Select(m => m.Name));

    // The line the accounts module's steps ask for, after the given line of Program.cs.
    private static void AddAccountsLine(string projectFolder, string after)
    {
        var program = Path.Combine(projectFolder, "Program.cs");
        var text = File.ReadAllText(program);
        Assert.Contains(after, text);
        File.WriteAllText(program, text.Replace(after, after + "\n" + Module.Accounts.ProgramLine));
    }

    // `dotnet run` in Development, as a developer would after following the steps.
    private static Task<CommandResult> RunAsync(string projectFolder) =>
        Command.RunAsync(projectFolder, "dotnet", ["run", "--no-launch-profile"],
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" }, TimeSpan.FromMinutes(5));

    private Task<CommandResult> NewItemAsync(string folder, Module module) =>
        Command.DotnetAsync(folder, "new", module.ShortName, "--debug:custom-hive", workspace.NewHive());

    private static Dictionary<string, string> Snapshot(string folder) =>
        FileTree.List(folder).ToDictionary(f => f, f => File.ReadAllText(Path.Combine(folder, f)));
}
