using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Audit;

// /Audit and /Audit/History, the admin's view of the trail, its CSV export and the purge.
public partial class AuditPageSpecs : IAsyncLifetime
{
    private const string AdminEmail = "admin@example.com";
    private readonly ModuleEvents _events = new();
    private TestApp _app = null!;

    // The app's own daily purge also runs at start-up, possibly late on a busy machine: with the
    // default retention it could delete the entries the purge spec backdates before the command does.
    public async ValueTask InitializeAsync() =>
        _app = await TestApp.StartAsync(new() { ["Audit:RetentionDays"] = "36500" }, services: _events.Register);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Only_admins_see_the_trail_and_each_refusal_is_an_event()
    {
        using var mallory = _app.NewBrowser();
        await mallory.RegisterAsync("mallory@example.com");
        var malloryId = await _app.UserIdAsync("mallory@example.com");

        var pages = new[] { "/Audit", $"/Audit/History?type=User&key={malloryId}", "/Audit?handler=Export" };
        foreach (var page in pages)
        {
            Assert.Equal("/Accounts/AccessDenied", (await mallory.Client.GetAsync(page)).RedirectPath());
        }
        Assert.Equal(3, _events.Named("UserAdminAccessDenied").Count(e => e.User.Email == "mallory@example.com"));
        using var admin = await _app.SignedInAdminAsync(AdminEmail);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/Audit")).Status);
    }

    [Fact]
    public async Task The_filters_narrow_the_list_and_a_row_opens_its_history_oldest_change_first()
    {
        using var admin = await _app.SignedInAdminAsync(AdminEmail);
        using var ada = _app.NewBrowser();
        await ada.RegisterAsync("ada@example.com");
        Assert.True((await ada.ChangePasswordAsync(Browser.StrongPassword, "another long passphrase for ada")).IsRedirect());
        var adaId = await _app.UserIdAsync("ada@example.com");

        var (_, byAda) = await admin.GetAsync("/Audit?Filter.Actor=ADA@example.com&Filter.Type=User");
        var (_, byId) = await admin.GetAsync($"/Audit?Filter.Actor={adaId}&Filter.Type=User");
        var (_, added) = await admin.GetAsync($"/Audit?Filter.Type=User&Filter.Key={adaId}&Filter.Action=Added");
        var (status, wrong) = await admin.GetAsync("/Audit?Filter.Action=Renamed");

        Assert.Equal(["Modified"], Actions(byAda));
        Assert.Equal(Actions(byAda), Actions(byId));
        Assert.Equal(["Added"], Actions(added));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Choose one of the listed changes.", wrong);
        var (historyStatus, history) = await admin.GetAsync($"/Audit/History?type=User&key={adaId}");
        Assert.Equal(HttpStatusCode.OK, historyStatus);
        Assert.True(history.IndexOf("<strong>Added</strong>") < history.IndexOf("<strong>Modified</strong>"));
        Assert.Contains("changed (value not recorded)", history);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/Audit/History?type=User&key={Guid.NewGuid()}")).Status);
    }

    [Fact]
    public async Task Paging_older_while_changes_arrive_shows_every_entry_once()
    {
        using var admin = await _app.SignedInAdminAsync(AdminEmail);
        await RegisterManyAsync("early", 120);
        var existing = await _app.QueryAsync(db => db.AuditEntries.Select(e => e.Id).ToListAsync());

        var seen = new List<long>();
        var path = "/Audit";
        for (var page = 0; path is not null; page++)
        {
            var (_, html) = await admin.GetAsync(path);
            seen.AddRange(EntryIds(html));
            // New changes between pages land before the first page, not in the pages still to come.
            await RegisterManyAsync($"late{page}", 3);
            path = OlderLink().Match(html) is { Success: true } older ? WebUtility.HtmlDecode(older.Groups[1].Value) : null;
        }

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(existing.Order(), seen.Where(existing.Contains).Order());
        Assert.Equal(seen.OrderDescending(), seen);
    }

    [Fact]
    public async Task A_date_range_pages_newest_first_by_time_through_every_entry_of_the_range_once()
    {
        using var admin = await _app.SignedInAdminAsync(AdminEmail);
        await RegisterManyAsync("dated", 130);
        // Times running against the ids (as entries of a slow save and a quick one can), three to
        // a minute; the ten oldest ids fall on the day after the range.
        var day = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
        await _app.QueryAsync(async db =>
        {
            var entries = await db.AuditEntries.OrderBy(e => e.Id).ToListAsync();
            for (var i = 0; i < entries.Count; i++)
            {
                entries[i].OccurredAt = i < 10 ? day.AddDays(1).AddMinutes(i) : day.AddMinutes((entries.Count - i) / 3);
            }
            return await db.SaveChangesAsync();
        });
        var expected = await _app.QueryAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.OccurredAt < day.AddDays(1)).ToListAsync());

        var seen = new List<long>();
        var path = "/Audit?Filter.From=2026-03-10&Filter.To=2026-03-10";
        while (path is not null)
        {
            var (_, html) = await admin.GetAsync(path);
            seen.AddRange(EntryIds(html));
            path = OlderLink().Match(html) is { Success: true } older ? WebUtility.HtmlDecode(older.Groups[1].Value) : null;
        }

        Assert.Equal(expected.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Select(e => e.Id), seen);
        Assert.True(expected.Count > 100);
    }

    [Fact]
    public async Task The_export_has_every_entry_of_the_filter_with_cells_a_spreadsheet_will_not_run()
    {
        using var admin = await _app.SignedInAdminAsync(AdminEmail);
        using var plus = _app.NewBrowser();
        await plus.RegisterAsync("+1@example.com");
        Assert.True((await plus.ChangePasswordAsync(Browser.StrongPassword, "another long passphrase here")).IsRedirect());

        var response = await admin.Client.GetAsync("/Audit?handler=Export&Filter.Type=User");
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Id,Time (UTC),Change set,Change,Data,Key,Changes,", lines[0]);
        // The admin's account and +1's, each added; +1's password change.
        Assert.Equal(3, lines.Length - 1);
        Assert.Contains(",'+1@example.com,", csv);
        Assert.Contains("\"{\"\"PasswordHash\"\":{\"\"changed\"\":true},\"\"SecurityStamp\"\":{\"\"changed\"\":true}}\"", csv);
    }

    [Fact]
    public async Task Purging_deletes_the_entries_before_the_date_and_leaves_an_entry_that_says_so()
    {
        await RegisterManyAsync("old", 3);
        await _app.QueryAsync(db => db.AuditEntries.ExecuteUpdateAsync(set => set.SetProperty(e => e.OccurredAt, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero))));
        await RegisterManyAsync("new", 2);
        var kept = await _app.QueryAsync(db => db.AuditEntries.CountAsync(e => e.OccurredAt > new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        var refused = await _app.RunCommandAsync("purgeaudit", ["--before", "yesterday"]);
        var run = await _app.RunCommandAsync("purgeaudit", ["--before", "2021-01-01"]);

        Assert.Equal(2, refused.ExitCode);
        Assert.True(run.ExitCode == 0, run.Output);
        var entries = await _app.QueryAsync(db => db.AuditEntries.AsNoTracking().ToListAsync());
        var purge = Assert.Single(entries, e => e.Action == AuditActions.Bulk);
        Assert.Equal(("AuditEntry", "command:purgeaudit"), (purge.EntityType, purge.Source));
        Assert.Contains($"Deleted {purge.RowsAffected} audit entr", run.Output);
        Assert.True(purge.RowsAffected >= 3);
        Assert.Equal(kept, entries.Count - 1);
    }

    // Accounts saved through the app's context, so each is an audited "Added" entry.
    private Task RegisterManyAsync(string prefix, int count) => _app.QueryAsync(db =>
    {
        for (var i = 0; i < count; i++)
        {
            var email = $"{prefix}{i}@example.com";
            db.Users.Add(new User { Email = email, NormalizedEmail = User.NormalizeEmail(email), PasswordHash = "not a hash" });
        }
        return db.SaveChangesAsync();
    });

    private static List<string> Actions(string html) =>
        ActionCell().Matches(html).Select(m => m.Groups[1].Value).ToList();

    private static IEnumerable<long> EntryIds(string html) =>
        RowId().Matches(html).Select(m => long.Parse(m.Groups[1].Value));

    [GeneratedRegex("<td>(Added|Modified|Deleted|Bulk)</td>")]
    private static partial Regex ActionCell();

    [GeneratedRegex("data-entry-id=\"(\\d+)\"")]
    private static partial Regex RowId();

    [GeneratedRegex("href=\"(/Audit\\?[^\"]*Before=[^\"]*)\"")]
    private static partial Regex OlderLink();
}
