using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using ModularUsers.Templates.Tests.Support;
using Npgsql;

namespace ModularUsers.Templates.Tests.Bench;

// ./build.sh bench: the admin's user list (/Accounts/Users) with 100,000 accounts, each filter
// and a page deep in the list, on SQLite and PostgreSQL. Goal: p95 < 50 ms.
[Trait("Category", "Bench")]
public class UserAdminBench(Workspace workspace, ITestOutputHelper output)
{
    private const string AdminEmail = "bench.admin@example.com";
    private const string Password = "user list passphrase";
    private const int Users = 100_000;

    [Theory]
    [InlineData(Databases.Sqlite)]
    [InlineData(Databases.Postgres)]
    public async Task User_list_query_time_with_a_hundred_thousand_users(string db)
    {
        var postgres = db == Databases.Postgres ? SpecRun.Postgres() : null;
        var generated = await workspace.GenerateAsync(new AppCase(db, [Module.Accounts]));
        Assert.True(generated.Migration?.ExitCode == 0, generated.Describe());
        var connectionString = postgres is null
            ? $"Data Source={Path.Combine(workspace.Root, $"bench-users-{Guid.NewGuid():N}.db")}"
            : await LogsBench.NewPostgresDatabaseAsync(postgres);

        await using var app = await RunningApp.StartAsync(generated.ProjectFolder, connectionString);
        using var admin = app.NewClient();
        await RunningApp.RegisterAsync(admin, AdminEmail, Password);
        var seeding = Stopwatch.StartNew();
        var middle = await SeedAsync(db, connectionString);
        seeding.Stop();
        using var signedIn = app.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await RunningApp.SignInAsync(signedIn, AdminEmail, Password)).StatusCode);

        var queries = new (string Name, string Path)[]
        {
            ("default view (newest 50)", "/Accounts/Users"),
            ("page 1000 (keyset)", $"/Accounts/Users?after={middle}"),
            ("search, one match", "/Accounts/Users?search=user004242%40"),
            ("search, every account matches", "/Accounts/Users?search=example.com"),
            ("deactivated (1 in 10)", "/Accounts/Users?show=deactivated"),
            ("locked out (1 in 1,000)", "/Accounts/Users?show=locked"),
            ("admins (1)", "/Accounts/Users?show=admins"),
        };
        var lines = new List<string>
        {
            $"## /Accounts/Users with {Users:N0} accounts ({db}; seeded in {seeding.Elapsed.TotalSeconds:F0} s)",
            "",
            "| Query | p50 ms | p95 ms |",
            "| --- | --- | --- |",
        };
        foreach (var (name, path) in queries)
        {
            var (p50, p95) = await LogsBench.PageTimesAsync(signedIn, path, html => Assert.Contains("/Accounts/Users/Details/", html));
            lines.Add($"| {name} | {p50:F1} | {p95:F1}{(p95 < 50 ? "" : " (goal NOT met)")} |");
        }
        lines.Add("");
        lines.Add("Goal: p95 < 50 ms.");
        lines.Add("");
        BenchResults.Append(workspace, output, [.. lines]);
    }

    // Users accounts, one a minute back from now, 1 in 10 deactivated, 1 in 1,000 locked out;
    // the registered admin gets the Admin role. Returns the id of the account half-way down the list.
    private static async Task<string> SeedAsync(string db, string connectionString)
    {
        if (db == Databases.Sqlite)
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandTimeout = 600;
            command.CommandText = $"""
                INSERT INTO "UserRoles" ("UserId", "Role") SELECT "Id", 'Admin' FROM "Users";
                WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {Users})
                INSERT INTO "Users" ("Id", "Email", "NormalizedEmail", "PasswordHash", "SecurityStamp", "CreatedAt", "FailedSignInCount", "LockoutEnd", "IsActive")
                SELECT upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6))),
                       printf('user%06d@example.com', x), printf('USER%06d@EXAMPLE.COM', x), 'not a hash', hex(randomblob(16)),
                       strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || x || ' minutes'), 0,
                       CASE WHEN x % 1000 = 0 THEN strftime('%Y-%m-%d %H:%M:%f', 'now', '+1 day') END, x % 10 <> 0
                FROM n;
                ANALYZE;
                """;
            await command.ExecuteNonQueryAsync();
            command.CommandText = $"""SELECT "Id" FROM "Users" WHERE "NormalizedEmail" = 'USER{Users / 2:D6}@EXAMPLE.COM'""";
            return (string)(await command.ExecuteScalarAsync())!;
        }
        else
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandTimeout = 600;
            command.CommandText = $"""
                INSERT INTO "UserRoles" ("UserId", "Role") SELECT "Id", 'Admin' FROM "Users";
                INSERT INTO "Users" ("Id", "Email", "NormalizedEmail", "PasswordHash", "SecurityStamp", "CreatedAt", "FailedSignInCount", "LockoutEnd", "IsActive")
                SELECT gen_random_uuid(), format('user%s@example.com', lpad(x::text, 6, '0')), format('USER%s@EXAMPLE.COM', lpad(x::text, 6, '0')),
                       'not a hash', md5(random()::text), now() - x * interval '1 minute', 0,
                       CASE WHEN x % 1000 = 0 THEN now() + interval '1 day' END, x % 10 <> 0
                FROM generate_series(1, {Users}) AS x;
                ANALYZE;
                """;
            await command.ExecuteNonQueryAsync();
            command.CommandText = $"""SELECT "Id"::text FROM "Users" WHERE "NormalizedEmail" = 'USER{Users / 2:D6}@EXAMPLE.COM'""";
            return (string)(await command.ExecuteScalarAsync())!;
        }
    }
}
