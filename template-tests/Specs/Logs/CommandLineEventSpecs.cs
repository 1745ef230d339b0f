using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Logs;

// Events a command makes (createsuperuser, changepassword, one of your own) come from no browser:
// the pages say "command line", not "Unknown browser".
public class CommandLineEventSpecs : IAsyncLifetime
{
    private const string AdminEmail = "root@example.com";
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_admin_page_shows_createsuperuser_events_as_made_on_the_command_line()
    {
        var (exitCode, output) = await CreateSuperuserAsync();
        Assert.True(exitCode == 0, output);
        using var admin = _app.NewBrowser();
        await admin.SignInAsync(AdminEmail);

        var (_, html) = await admin.GetAsync("/Logs");

        var created = Row(html, AuthEventTypes.AdminCreated);
        Assert.Contains("command line", created);
        Assert.DoesNotContain("Unknown browser", created);
        // A browser that sends no User-Agent is still a browser.
        var signedIn = Row(html, AuthEventTypes.SignedIn);
        Assert.Contains("Unknown browser", signedIn);
        Assert.DoesNotContain("command line", signedIn);
    }

    [Fact]
    public async Task My_sign_ins_shows_a_sign_in_event_recorded_outside_a_request_as_made_on_the_command_line()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("ada@example.com");
        // What a command of your own that checks a password records: no request, so no address, browser or path.
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
            var user = await db.Users.SingleAsync();
            var recorder = scope.ServiceProvider.GetServices<IUserEvents>().OfType<AuthEventRecorder>().Single();
            await recorder.SignInFailedAsync(user.Email, user, SignInFailureReason.BadPassword, CancellationToken.None);
            await db.SaveChangesAsync();
        }

        var (_, html) = await browser.GetAsync("/Logs/MySignIns");

        var failed = Row(html, "Failed");
        Assert.Contains("command line", failed);
        Assert.DoesNotContain("Unknown browser", failed);
    }

    // The first row of the table's body holding this text.
    private static string Row(string html, string text)
    {
        var body = html[html.IndexOf("<tbody>", StringComparison.Ordinal)..];
        var row = body.Split("<tr>").FirstOrDefault(r => r.Contains(text, StringComparison.Ordinal));
        Assert.True(row is not null, $"no row with {text}");
        return row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
    }

    private Task<(int ExitCode, string Output)> CreateSuperuserAsync() =>
        _app.RunCommandAsync("createsuperuser", ["--email", AdminEmail], [new("ACCOUNTS_SUPERUSER_PASSWORD", Browser.StrongPassword)]);
}
