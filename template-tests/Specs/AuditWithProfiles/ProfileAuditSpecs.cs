using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.AuditWithProfiles;

// Profile edits in the audit trail: the fields' old and new values, who, from where, in which request.
public class ProfileAuditSpecs : IAsyncLifetime
{
    private readonly RequestTraces _traces = new();
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await TestApp.StartAsync(services: services => services.AddSingleton<IStartupFilter>(_traces));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private Task<List<AuditEntry>> ProfileEntriesAsync() =>
        _app.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == "Profile").OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task An_edit_records_one_entry_with_the_old_and_new_value_of_each_changed_field_and_the_request_it_came_from()
    {
        using var browser = _app.NewBrowser("198.51.100.20");
        await browser.RegisterAsync("ada@example.com");
        var form = await browser.ReadFormAsync("/Profiles/Edit");
        form["Input.Location"] = "Lisbon";
        form["Input.Bio"] = "Counts \"things\"\nand <more>";

        Assert.True((await browser.PostAsync("/Profiles/Edit", form)).IsRedirect());

        var entry = Assert.Single(await ProfileEntriesAsync(), e => e.Action == AuditActions.Modified);
        Assert.Equal("""{"Bio":{"old":null,"new":"Counts \u0022things\u0022\nand \u003Cmore\u003E"},"Location":{"old":null,"new":"Lisbon"}}""", entry.Changes);
        Assert.Equal(await _app.UserIdAsync("ada@example.com"), entry.ActorUserId);
        Assert.Equal("ada@example.com", entry.ActorEmail);
        Assert.Equal("198.51.100.20", entry.ClientIp);
        Assert.Equal("/Profiles/Edit", entry.Path);
        Assert.Equal(_traces.Of("POST /Profiles/Edit"), entry.TraceId);
    }

    [Fact]
    public async Task An_edit_refused_because_another_tab_saved_first_records_nothing()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("two.tabs@example.com");
        var firstTab = await browser.ReadFormAsync("/Profiles/Edit");
        var secondTab = await browser.ReadFormAsync("/Profiles/Edit");
        firstTab["Input.Location"] = "Lisbon";
        secondTab["Input.Location"] = "Porto";

        Assert.True((await browser.PostAsync("/Profiles/Edit", firstTab)).IsRedirect());
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("/Profiles/Edit", secondTab)).StatusCode);

        var entry = Assert.Single(await ProfileEntriesAsync(), e => e.Action == AuditActions.Modified);
        Assert.Equal("""{"Location":{"old":null,"new":"Lisbon"}}""", entry.Changes);
    }

    // The trace id each request ran under, as the app's own code sees it.
    private sealed class RequestTraces : IStartupFilter
    {
        private readonly Dictionary<string, string> _last = [];

        public string? Of(string request)
        {
            lock (_last)
            {
                return _last.GetValueOrDefault(request);
            }
        }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                await nextMiddleware(context);
                lock (_last)
                {
                    _last[$"{context.Request.Method} {context.Request.Path}"] =
                        System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
                }
            });
            next(app);
        };
    }
}
