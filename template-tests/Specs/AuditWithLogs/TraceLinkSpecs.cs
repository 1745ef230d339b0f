using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.AuditWithLogs;

// From a change in the audit trail to the account events of the request that made it.
public partial class TraceLinkSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_change_links_to_the_account_events_of_the_request_that_made_it_and_to_no_others()
    {
        using var admin = await _app.SignedInAdminAsync("admin@example.com");
        using var ada = _app.NewBrowser();
        await ada.RegisterAsync("ada@example.com");
        Assert.True((await ada.SignOutAsync()).IsRedirect());
        Assert.True((await ada.SignInAsync("ada@example.com")).IsRedirect());
        Assert.True((await ada.ChangePasswordAsync(Browser.StrongPassword, "another long passphrase for ada")).IsRedirect());
        var adaKey = (await _app.UserIdAsync("ada@example.com")).ToString();
        var change = await _app.QueryAsync(db => db.AuditEntries.AsNoTracking()
            .SingleAsync(e => e.EntityType == "User" && e.EntityKey == adaKey && e.Action == AuditActions.Modified));
        Assert.NotNull(change.TraceId);

        var (_, list) = await admin.GetAsync($"/Audit?Filter.Key={adaKey}&Filter.Action=Modified");
        var (_, history) = await admin.GetAsync($"/Audit/History?type=User&key={adaKey}");
        var link = Assert.Single(EventsLinks().Matches(list)).Groups[1].Value;
        Assert.Equal($"/Logs?Filter.Trace={change.TraceId}", WebUtility.HtmlDecode(link));
        Assert.Contains(link, history);

        var (status, events) = await admin.GetAsync(WebUtility.HtmlDecode(link));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([AuthEventTypes.PasswordChanged], EventTypes(events));
        Assert.Contains($"value=\"{change.TraceId}\"", events);
    }

    [Fact]
    public async Task A_trace_id_no_event_has_lists_nothing()
    {
        using var admin = await _app.SignedInAdminAsync("admin@example.com");

        var (status, events) = await admin.GetAsync("/Logs?Filter.Trace=0af7651916cd43dd8448eb211c80319c");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(EventTypes(events));
        Assert.Contains("No events match this filter.", events);
    }

    // The event types of the rows listed, in the order shown.
    private static List<string> EventTypes(string html) =>
        [.. EventCell().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("href=\"(/Logs\\?Filter.Trace=[^\"]*)\">Account events of this request</a>")]
    private static partial Regex EventsLinks();

    [GeneratedRegex("<span class=\"badge text-bg-(?:success|danger)\">(?:ok|failed)</span>\\s*(\\w+)")]
    private static partial Regex EventCell();
}
