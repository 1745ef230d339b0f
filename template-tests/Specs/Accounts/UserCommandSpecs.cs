using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Accounts;

// `dotnet run -- listusers | deactivateuser | reactivateuser` (the built app run as a command, on
// the spec's database), for scripts: tab-separated output, exit codes 0 and 2.
public class UserCommandSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Listusers_prints_one_tab_separated_line_per_account_newest_first()
    {
        using var admin = await _app.SignedInAdminAsync("admin@example.com");
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        using var user = _app.NewBrowser();
        await user.RegisterAsync(Email);
        await _app.SaveAsync(db => db.Users.Where(u => u.NormalizedEmail == User.NormalizeEmail(Email)).ForEachAsync(u => u.IsActive = false));

        var all = await _app.RunCommandAsync("listusers", []);
        var admins = await _app.RunCommandAsync("listusers", ["--admins"]);
        var deactivated = await _app.RunCommandAsync("listusers", ["--deactivated"]);

        Assert.True(all.ExitCode == 0, all.Output);
        var lines = Lines(all.Output);
        Assert.Equal(2, lines.Count);
        var ada = lines[0].Split('\t');
        var root = lines[1].Split('\t');
        Assert.Equal(Email, ada[0]);
        Assert.Equal(_app.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), ada[1]);
        Assert.Equal(["deactivated", "-", "-"], ada[3..]);
        Assert.Equal("admin@example.com", root[0]);
        Assert.NotEqual("never", root[2]);
        Assert.Equal(["active", "-", Roles.Admin], root[3..]);
        Assert.Equal(["admin@example.com"], Lines(admins.Output).Select(l => l.Split('\t')[0]));
        Assert.Equal([Email], Lines(deactivated.Output).Select(l => l.Split('\t')[0]));
    }

    [Fact]
    public async Task Deactivateuser_ends_every_session_and_reactivateuser_lets_the_account_sign_in_again()
    {
        using var laptop = _app.NewBrowser();
        await laptop.RegisterAsync(Email);

        var deactivate = await _app.RunCommandAsync("deactivateuser", ["--email", "ADA@example.com"]);

        Assert.True(deactivate.ExitCode == 0, deactivate.Output);
        Assert.Contains($"Deactivated {Email}; every session of the account has ended.", deactivate.Output);
        // The command ran in another process: this instance sees it when its cached session is older than the bound.
        _app.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.False(await laptop.IsSignedInAsync());
        await laptop.SignInAsync(Email);
        Assert.False(await laptop.IsSignedInAsync());

        var reactivate = await _app.RunCommandAsync("reactivateuser", ["--email", Email]);

        Assert.True(reactivate.ExitCode == 0, reactivate.Output);
        await laptop.SignInAsync(Email);
        Assert.True(await laptop.IsSignedInAsync());
    }

    [Theory]
    [InlineData("deactivateuser", new[] { "--email", "nobody@example.com" }, "No account has the email nobody@example.com; nothing was changed.")]
    [InlineData("reactivateuser", new[] { "--mail", Email }, "Usage: dotnet run -- reactivateuser --email <address>")]
    [InlineData("listusers", new[] { "--everyone" }, "Usage: dotnet run -- listusers [--admins | --deactivated | --locked]")]
    [InlineData("deactivateuser", new[] { "--email", "admin@example.com" }, "This is the last active admin")]
    public async Task Refuses_with_exit_code_2_and_a_message_and_changes_nothing(string command, string[] args, string message)
    {
        using var admin = await _app.SignedInAdminAsync("admin@example.com");

        var run = await _app.RunCommandAsync(command, args);

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Contains(message, run.Output);
        var root = await _app.QueryAsync(db => db.Users.Include(u => u.Roles).SingleAsync(u => u.Email == "admin@example.com"));
        Assert.True(root.IsActive);
        Assert.True(root.IsInRole(Roles.Admin));
        Assert.Equal(1, await _app.QueryAsync(db => db.UserSessions.CountAsync(s => s.EndedAt == null)));
    }

    private static List<string> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => l.Contains('\t')).ToList();
}
