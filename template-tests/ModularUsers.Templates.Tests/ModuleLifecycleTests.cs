using System.Net;
using Microsoft.Data.Sqlite;
using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

// Modules come and go in an app that is already in use, as the README describes.
public class ModuleLifecycleTests(Workspace workspace)
{
    public static TheoryData<string> OptionalModules => new(Module.All.Where(m => m != Module.Accounts).Select(m => m.Name));

    [Theory]
    [MemberData(nameof(OptionalModules))]
    public async Task Removing_a_module_folder_and_its_program_line_leaves_an_app_that_builds_migrates_and_serves_the_other_modules(string moduleName)
    {
        var removed = Module.All.Single(m => m.Name == moduleName);
        var everything = await workspace.GenerateAsync(Removal.Everything);
        Assert.True(everything.IsMigrated, everything.Describe());

        var removal = await workspace.RemovalAsync(removed);

        Assert.True(removal.Build.ExitCode == 0, removal.Build.ToString());
        Assert.True(removal.Migration?.ExitCode == 0, removal.Migration?.ToString());
        Assert.All(removed.Tables, table => Assert.Contains($"migrationBuilder.DropTable(\n                name: \"{table}\");", removal.Drops));
        Assert.True(removal.Rebuild?.ExitCode == 0, removal.Rebuild?.ToString());
        Assert.NotNull(removal.Started);
        Assert.True(removal.Started.Answered, removal.Started.ToString());
        var remaining = Module.All.Where(m => m != removed).ToList();
        Assert.Equal(
            new SortedSet<string>(remaining.SelectMany(m => m.Tables).Concat(["__EFMigrationsHistory", "__EFMigrationsLock"]), StringComparer.Ordinal),
            removal.Started.Tables);
        Assert.Equal(HttpStatusCode.Redirect, removal.Started.Registered.Status);
        // Where the email module stays, the registration is confirmed from the Development mailbox first.
        Assert.True(remaining.Contains(Module.Email) == removal.Started.Registered.ConfirmedByMail, removal.Started.ToString());
        Assert.All(remaining, module => Assert.Equal(module.UserPageStatus, removal.Started.Pages[module.UserPage]));
        Assert.Equal(HttpStatusCode.NotFound, removal.Started.Pages[removed.UserPage]);
        // The email module's link on the sign-in page goes with its folder.
        Assert.Equal(remaining.Contains(Module.Email), removal.Started.SignInPage.Contains("href=\"/Email/ForgotPassword\""));
    }

    [Fact]
    public async Task Modules_added_to_an_app_that_already_has_users_work_for_those_users()
    {
        var accountsOnly = AppCase.All().First(c => c.Source == AppSource.ItemTemplates && c.Db == Databases.Sqlite && c.Modules.Length == 1);
        var generated = await workspace.GenerateAsync(accountsOnly);
        Assert.True(generated.IsMigrated, generated.Describe());
        var folder = Path.Combine(workspace.Root, "cases", "added-later", Workspace.AppName);
        FileTree.CopyWithoutBuildOutput(generated.ProjectFolder, folder);

        // The app is in use: its database has an admin.
        var build = await workspace.HeavyAsync(() => Command.DotnetAsync(folder, "build", "-nologo"));
        Assert.True(build.ExitCode == 0, build.ToString());
        var superuser = await Command.RunAsync(folder, "dotnet",
            [Path.Combine("bin", "Debug", "net10.0", Workspace.AppName + ".dll"), "createsuperuser", "--email", "owner@example.com"],
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["ACCOUNTS_SUPERUSER_PASSWORD"] = "seven blue herons at dusk" },
            TimeSpan.FromMinutes(3));
        Assert.True(superuser.ExitCode == 0, superuser.ToString());

        // Then the other modules arrive, in yet another order, with one migration for all of them.
        var hive = workspace.NewHive();
        var lines = new List<string>();
        foreach (var module in new[] { Module.Profiles, Module.Email, Module.Sessions, Module.Logs, Module.TwoFactor })
        {
            var run = await Command.DotnetAsync(folder, "new", module.ShortName, "--debug:custom-hive", hive);
            Assert.True(run.ExitCode == 0, run.ToString());
            lines.AddRange(GeneratedApp.PrintedProgramLines(run.Output));
        }
        GeneratedApp.AddProgramLines(folder, lines);
        var rebuild = await workspace.HeavyAsync(() => Command.DotnetAsync(folder, "build", "-warnaserror", "-nologo"));
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        var project = Path.Combine(folder, Workspace.AppName + ".csproj");
        var migration = await Command.EfAsync(workspace.RepoRoot, project,
            "migrations", "add", "AddModules", "--context", "UsersDbContext", "--output-dir", "Migrations/Users", "--no-build");
        Assert.True(migration.ExitCode == 0, migration.ToString());

        // The Development run applies the new migration to the existing database.
        await using var app = await RunningApp.StartAsync(folder, connectionString: null);
        using var client = app.NewClient();
        var signIn = await RunningApp.SignInAsync(client, "owner@example.com", "seven blue herons at dusk");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.DoesNotContain("/TwoFactor/Verify", signIn.Headers.Location?.OriginalString ?? "");
        // Email:RequireConfirmedEmail is on, but an account made before the email module has no
        // UnconfirmedAccounts row, so it signs in as before.
        Assert.DoesNotContain("/Email/", signIn.Headers.Location?.OriginalString ?? "");

        // Each page works for the existing user, and what it did is in the database.
        var profile = await client.GetAsync("/Profiles");
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        var twoFactor = await client.GetAsync("/TwoFactor");
        Assert.Equal(HttpStatusCode.OK, twoFactor.StatusCode);
        Assert.Contains("Turn on two-factor authentication", await twoFactor.Content.ReadAsStringAsync());
        var logs = await client.GetAsync("/Logs/MySignIns");
        Assert.Equal(HttpStatusCode.OK, logs.StatusCode);
        var changeEmail = await client.GetAsync("/Email/ChangeEmail");
        Assert.Equal(HttpStatusCode.OK, changeEmail.StatusCode);
        var sessions = await client.GetAsync("/Sessions");
        Assert.Equal(HttpStatusCode.OK, sessions.StatusCode);
        Assert.Contains("This device", await sessions.Content.ReadAsStringAsync());
        await using var database = new SqliteConnection($"Data Source={Path.Combine(folder, "users.db")}");
        await database.OpenAsync();
        Assert.Equal(1L, await ScalarAsync(database,
            "SELECT COUNT(*) FROM Profiles p JOIN Users u ON u.Id = p.UserId WHERE u.Email = 'owner@example.com'"));
        Assert.Equal(1L, await ScalarAsync(database,
            "SELECT COUNT(*) FROM AuthEvents e JOIN Users u ON u.Id = e.UserId WHERE u.Email = 'owner@example.com' AND e.EventType = 'SignedIn' AND e.Succeeded"));
        Assert.Equal(0L, await ScalarAsync(database, "SELECT COUNT(*) FROM TwoFactorAuthenticators"));
        Assert.Equal(0L, await ScalarAsync(database, "SELECT COUNT(*) FROM UnconfirmedAccounts"));
        // The browser that signed in is known from now on.
        Assert.Equal(1L, await ScalarAsync(database, "SELECT COUNT(*) FROM KnownDevices"));
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
