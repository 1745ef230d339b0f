using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.Extensions.Logging;
using Specs.Support;

namespace Specs.Logs;

// The search box of /Logs, through the index the app's migration creates (LogsSearchIndex.cs) and,
// where it is missing, by reading the events.
public partial class SearchSpecs : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "100000" }, services: _logs.AddTo);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Words_inside_every_searched_column_are_found_in_any_case_and_changes_and_deletions_follow()
    {
        // As mu-webapp's migration does (an app of item templates has it only if its migration
        // calls it); on an app that has the index, nothing changes.
        await RunMigrationAsync(LogsSearchIndex.Create);
        var now = _app.Clock.GetUtcNow().UtcDateTime;
        await _app.SeedAsync(
        [
            Event("mail@example.com", now, reason: "TooManyGuesses"),
            Event("ip@example.com", now, ip: "203.0.113.177"),
            Event("path@example.com", now, path: "/Accounts/Manage/Wombat"),
            Event("browser@example.com", now, userAgent: "Mozilla/5.0 Quokkafox/7"),
            Event("type@example.com", now, type: "PlatypusSpotted"),
            Event("renamed@example.com", now),
            Event("deleted@example.com", now),
        ]);
        using var admin = await _app.SignedInAdminAsync();

        Assert.Equal(["mail@example.com"], await FoundAsync(admin, "IL@EXAMPLE"));
        Assert.Equal(["mail@example.com"], await FoundAsync(admin, "manyGUESS"));
        Assert.Equal(["ip@example.com"], await FoundAsync(admin, "113.177"));
        Assert.Equal(["path@example.com"], await FoundAsync(admin, "ge/wOMB"));
        Assert.Equal(["browser@example.com"], await FoundAsync(admin, "quokkaFOX"));
        Assert.Equal(["type@example.com"], await FoundAsync(admin, "platypus"));

        await _app.QueryAsync(db => db.AuthEvents.Where(e => e.Email == "renamed@example.com")
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.Email, "now-called@example.com")));
        await _app.QueryAsync(db => db.AuthEvents.Where(e => e.Email == "deleted@example.com").ExecuteDeleteAsync());

        Assert.Empty(await FoundAsync(admin, "renamed@"));
        Assert.Equal(["now-called@example.com"], await FoundAsync(admin, "now-called"));
        Assert.Empty(await FoundAsync(admin, "deleted@"));
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Name == "SearchIndexMissing");
    }

    [Fact]
    public async Task Search_terms_are_taken_literally_not_as_patterns_or_operators()
    {
        var now = _app.Clock.GetUtcNow().UtcDateTime;
        await _app.SeedAsync(
        [
            Event("percent@example.com", now, path: "/sale/50%_off"),
            Event("letters@example.com", now, path: "/sale/50xxoff"),
            Event("quoted@example.com", now, userAgent: "Agent \"quoted\" NEAR(x) OR *"),
        ]);
        using var admin = await _app.SignedInAdminAsync();

        Assert.Equal(["percent@example.com"], await FoundAsync(admin, "50%_o"));
        Assert.Equal(["quoted@example.com"], await FoundAsync(admin, "\"quoted\" near("));
        Assert.Equal(["quoted@example.com"], await FoundAsync(admin, "or *"));
        Assert.Empty(await FoundAsync(admin, "quoted agent"));
    }

    // The index holds runs of 3 characters; a shorter term would read every event.
    [Theory]
    [InlineData("50")]
    [InlineData(" x ")]
    public async Task A_search_of_fewer_than_3_characters_is_refused_with_a_message(string term)
    {
        using var admin = await _app.SignedInAdminAsync();

        var (status, html) = await admin.GetAsync($"/Logs?Filter.Search={Uri.EscapeDataString(term)}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Search for at least 3 characters.", html);
        // No events listed, not even the admin's own sign-in.
        Assert.Empty(EmailCell().Matches(html[html.IndexOf("<tbody>", StringComparison.Ordinal)..]));
    }

    [Fact]
    public async Task Without_the_index_the_search_reads_the_events_says_so_once_and_an_index_added_later_finds_the_older_events()
    {
        var now = _app.Clock.GetUtcNow().UtcDateTime;
        await _app.SeedAsync([Event("before@example.com", now.AddMinutes(-2), userAgent: "Wallabrowser/1")]);
        using var admin = await _app.SignedInAdminAsync();
        await RunMigrationAsync(LogsSearchIndex.Drop);

        Assert.Equal(["before@example.com"], await FoundAsync(admin, "wallabrowser"));
        Assert.Equal(["before@example.com"], await FoundAsync(admin, "wallab"));
        var warning = Assert.Single(_logs.Entries, e => e.EventId.Name == "SearchIndexMissing");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("LogsSearchIndex.Create(migrationBuilder)", warning.Message);

        await _app.SeedAsync([Event("between@example.com", now.AddMinutes(-1), userAgent: "Wallabrowser/2")]);
        await RunMigrationAsync(LogsSearchIndex.Create);
        await _app.SeedAsync([Event("after@example.com", now, userAgent: "Wallabrowser/3")]);

        Assert.Equal(["after@example.com", "between@example.com", "before@example.com"], await FoundAsync(admin, "wallabrowser"));
        Assert.Single(_logs.Entries, e => e.EventId.Name == "SearchIndexMissing");
    }

    // What a migration that calls these does to the database of the app.
    private Task RunMigrationAsync(Action<MigrationBuilder> migration) => _app.QueryAsync(async db =>
    {
        var builder = new MigrationBuilder(db.Database.ProviderName);
        migration(builder);
        foreach (var operation in builder.Operations.Cast<SqlOperation>())
        {
            await db.Database.ExecuteSqlRawAsync(operation.Sql);
        }
        return builder.Operations.Count;
    });

    private static AuthEvent Event(string email, DateTime at, string type = AuthEventTypes.SignInFailed, string? reason = null,
        string ip = "198.51.100.20", string? path = null, string? userAgent = null)
    {
        var e = LogsSpecsSupport.Seeded(email, at, type, ip);
        e.Reason = reason;
        e.Path = path;
        e.UserAgent = userAgent;
        return e;
    }

    // The emails of the events a search finds, newest first (the admin's own events left out).
    private static async Task<List<string>> FoundAsync(Browser admin, string term)
    {
        var (status, html) = await admin.GetAsync($"/Logs?Filter.Search={Uri.EscapeDataString(term)}");
        Assert.Equal(HttpStatusCode.OK, status);
        var table = html[html.IndexOf("<tbody>", StringComparison.Ordinal)..];
        return EmailCell().Matches(table).Select(m => m.Groups[1].Value).Where(e => e != LogsSpecsSupport.AdminEmail).ToList();
    }

    [GeneratedRegex(@"<td class=""text-break"">\s*(?:<a [^>]*>)?([^<\s]+)")]
    private static partial Regex EmailCell();
}
