using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Accounts;

// Runs the built app as `dotnet <app>.dll createsuperuser ...`, the way `dotnet run -- createsuperuser`
// does; changepassword the same way.
public class CreateSuperuserSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Creates_an_admin_from_the_password_variable_without_starting_the_web_server()
    {
        // The host's lifetime messages are shown, so a started web server would say where it listens.
        var run = await CreateSuperuserAsync(["--email", "root@example.com"], password: "a sturdy admin passphrase", showLifetime: true);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Created root@example.com with the Admin role.", run.Output);
        Assert.Contains("Application started", run.Output);
        Assert.DoesNotContain("Now listening on", run.Output);
        var user = await _app.QueryAsync(db => db.Users.Include(u => u.Roles).SingleAsync());
        Assert.True(user.IsInRole(Roles.Admin));
        using var browser = _app.NewBrowser();
        await browser.SignInAsync("root@example.com", "a sturdy admin passphrase");
        Assert.True(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Help_lists_the_commands_one_line_each_without_starting_the_web_server()
    {
        var run = await RunAsync("help", [], password: null, showLifetime: true);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.DoesNotContain("Now listening on", run.Output);
        Assert.Contains("Commands: dotnet run -- <command> [arguments]; without a command the web server starts.", run.Output);
        Assert.Matches(@"(?m)^  help +lists these commands$", run.Output);
        Assert.Matches(@"(?m)^  createsuperuser --email <address> \[--promote-existing\] +creates an account with the Admin role", run.Output);
        Assert.Matches(@"(?m)^  changepassword --email <address> +sets a new password", run.Output);
        Assert.Empty(await _app.QueryAsync(db => db.Users.ToListAsync()));
    }

    [Fact]
    public async Task Promotes_an_existing_account_only_when_asked_to()
    {
        using (var browser = _app.NewBrowser())
        {
            await browser.RegisterAsync("promote@example.com");
        }

        var refused = await CreateSuperuserAsync(["--email", "Promote@example.com"], password: null);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("promote@example.com already has an account (created ", refused.Output);
        Assert.Contains("--promote-existing", refused.Output);
        Assert.False(await IsAdminAsync());

        var promoted = await CreateSuperuserAsync(["--email", "Promote@example.com", "--promote-existing"], password: null);

        Assert.True(promoted.ExitCode == 0, promoted.Output);
        Assert.Contains("now has the Admin role", promoted.Output);
        Assert.True(await IsAdminAsync());
    }

    [Fact]
    public async Task Promoting_never_ignores_the_password_variable_nor_reactivates_an_account()
    {
        using (var browser = _app.NewBrowser())
        {
            await browser.RegisterAsync("promote@example.com");
        }

        var withPassword = await CreateSuperuserAsync(["--email", "promote@example.com", "--promote-existing"], password: "a sturdy admin passphrase");
        await _app.SaveAsync(db => db.Users.ForEachAsync(u => u.IsActive = false));
        var inactive = await CreateSuperuserAsync(["--email", "promote@example.com", "--promote-existing"], password: null);

        Assert.Equal(2, withPassword.ExitCode);
        Assert.Contains("ACCOUNTS_SUPERUSER_PASSWORD is set, but --promote-existing keeps the account's own password", withPassword.Output);
        Assert.Equal(2, inactive.ExitCode);
        Assert.Contains("is deactivated; nothing was changed", inactive.Output);
        Assert.False(await IsAdminAsync());
        Assert.False(await _app.QueryAsync(db => db.Users.Select(u => u.IsActive).SingleAsync()));
    }

    [Fact]
    public async Task Changepassword_sets_a_new_password_and_ends_every_session_of_the_account()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("forgetful@example.com");

        var unknown = await RunAsync("changepassword", ["--email", "nobody@example.com"], password: "a sturdy new passphrase");
        var weak = await RunAsync("changepassword", ["--email", "forgetful@example.com"], password: "password12345678");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("No account has the email nobody@example.com", unknown.Output);
        Assert.Equal(2, weak.ExitCode);
        Assert.Contains("commonly used", weak.Output);
        Assert.True(await browser.IsSignedInAsync());

        var changed = await RunAsync("changepassword", ["--email", "Forgetful@example.com"], password: "a sturdy new passphrase");

        Assert.True(changed.ExitCode == 0, changed.Output);
        _app.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.False(await browser.IsSignedInAsync());
        using var later = _app.NewBrowser();
        await later.SignInAsync("forgetful@example.com");
        Assert.False(await later.IsSignedInAsync());
        await later.SignInAsync("forgetful@example.com", "a sturdy new passphrase");
        Assert.True(await later.IsSignedInAsync());
    }

    private Task<bool> IsAdminAsync() =>
        _app.QueryAsync(db => db.Users.Include(u => u.Roles).Select(u => u.Roles.Any(r => r.Role == Roles.Admin)).SingleAsync());

    [Theory]
    [InlineData(new[] { "--mail", "x@example.com" }, "a sturdy admin passphrase", "Usage: dotnet run -- createsuperuser --email <address>")]
    [InlineData(new[] { "--email", "not-an-email" }, "a sturdy admin passphrase", "Enter a valid email address.")]
    [InlineData(new[] { "--email", "weak@example.com" }, "password12345678", "commonly used")]
    [InlineData(new[] { "--email", "short@example.com" }, "short", "Use at least 15 characters")]
    [InlineData(new[] { "--email", "noterminal@example.com" }, null, "No terminal to ask for the password: set ACCOUNTS_SUPERUSER_PASSWORD")]
    public async Task Refuses_bad_input_with_a_message_and_creates_nothing(string[] args, string? password, string message)
    {
        var run = await CreateSuperuserAsync(args, password);

        Assert.True(run.ExitCode == 2, $"exit code {run.ExitCode}: {run.Output}");
        Assert.Contains(message, run.Output);
        Assert.Equal(0, await _app.QueryAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task In_a_terminal_it_asks_for_the_password_twice_without_echo()
    {
        // `script` gives the command a terminal, as when a person runs it.
        var command = string.Join(' ', new[] { "dotnet", AppDll, "createsuperuser", "--email", "operator@example.com" }.Select(a => $"'{a}'"));
        var start = Start("script", ["-qec", command, "/dev/null"], password: null);
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var buffer = new char[256];
        var answered = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await process.StandardOutput.ReadAsync(buffer, timeout.Token) is var read and > 0)
        {
            output.Append(buffer, 0, read);
            var prompts = System.Text.RegularExpressions.Regex.Count(output.ToString(), "Password( \\(again\\))?: ");
            for (; answered < prompts; answered++)
            {
                // Text arriving while the terminal still echoes would be shown by the terminal
                // itself, whatever the app does: a person sees the prompt, then types.
                await WaitUntilEchoIsOffAsync(process.Id, timeout.Token);
                await process.StandardInput.WriteAsync("typed into a pty\r");
                await process.StandardInput.FlushAsync();
            }
        }
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, output.ToString());
        Assert.Equal(2, answered);
        Assert.Contains("Created operator@example.com with the Admin role.", output.ToString());
        Assert.DoesNotContain("typed into a pty", output.ToString());
        using var browser = _app.NewBrowser();
        await browser.SignInAsync("operator@example.com", "typed into a pty");
        Assert.True(await browser.IsSignedInAsync());
    }

    // Waits until the terminal that `script` made for the command (its children's standard input)
    // no longer echoes, which the app does before reading a password.
    private static async Task WaitUntilEchoIsOffAsync(int scriptPid, CancellationToken cancellationToken)
    {
        while (true)
        {
            var terminal = TerminalOfChildren(scriptPid);
            if (terminal is not null)
            {
                var stty = new ProcessStartInfo("stty", ["-F", terminal, "-a"]) { RedirectStandardOutput = true, RedirectStandardError = true };
                using var settings = Process.Start(stty)!;
                var text = await settings.StandardOutput.ReadToEndAsync(cancellationToken);
                await settings.WaitForExitAsync(cancellationToken);
                if (settings.ExitCode == 0 && text.Split([' ', '\n', ';'], StringSplitOptions.RemoveEmptyEntries).Contains("-echo"))
                {
                    return;
                }
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    private static string? TerminalOfChildren(int parentPid)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                // /proc/<pid>/stat: "pid (name) state ppid ..."; the name may hold spaces.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                var input = new FileInfo(Path.Combine(directory, "fd", "0")).LinkTarget;
                if (parent == parentPid && input is not null && input.StartsWith("/dev/pts/", StringComparison.Ordinal))
                {
                    return input;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
            {
                // Not a process, or one that ended meanwhile.
            }
        }
        return null;
    }

    private static string AppDll => Path.Combine(AppContext.BaseDirectory, typeof(Program).Assembly.GetName().Name + ".dll");

    private ProcessStartInfo Start(string fileName, IEnumerable<string> arguments, string? password)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = SpecsEnvironment.AppProjectDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__Users"] = _app.ConnectionString;
        start.Environment["ACCOUNTS_SUPERUSER_PASSWORD"] = password ?? "";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }

    private Task<(int ExitCode, string Output)> CreateSuperuserAsync(string[] args, string? password, bool showLifetime = false) =>
        RunAsync("createsuperuser", args, password, showLifetime);

    private Task<(int ExitCode, string Output)> RunAsync(string command, string[] args, string? password, bool showLifetime = false)
    {
        var settings = new Dictionary<string, string> { ["ACCOUNTS_SUPERUSER_PASSWORD"] = password ?? "" };
        if (showLifetime)
        {
            settings["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information";
        }
        return _app.RunCommandAsync(command, args, settings);
    }
}
