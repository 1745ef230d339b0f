using Specs.Support;

namespace Specs.Email;

// `dotnet run -- sendpasswordreset --email <address>` (the built app run as a command, on the
// spec's database): an admin mails a user a reset link.
public class SendPasswordResetCommandSpecs : IAsyncLifetime
{
    private const string Email = "forgetful@example.com";
    private MailSink _sink = null!;
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        _app = await TestApp.StartAsync(_sink.Settings);
        using var owner = _app.NewBrowser();
        await owner.RegisterAsync(Email);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task It_mails_the_account_a_working_reset_link_that_says_it_came_from_the_command_line()
    {
        var run = await RunAsync("--email", "Forgetful@Example.com");

        Assert.True(run.ExitCode == 0, run.Output);
        var mail = await _sink.NextMailToAsync(Email, "Reset your password");
        Assert.Contains("the command line", mail.TextBody);
        var link = MailSink.LinkIn(mail);
        Assert.Equal(MailSink.PublicBaseUrl, link.GetLeftPart(UriPartial.Authority));
        using var browser = _app.NewBrowser();
        Assert.Equal("/Email/Done?what=password-reset", (await browser.ResetPasswordAsync(link, "a passphrase the admin never saw")).Location());
        await browser.SignInAsync(Email, "a passphrase the admin never saw");
        Assert.True(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task An_unknown_address_or_a_wrong_usage_exits_with_2_and_mails_nothing()
    {
        var unknown = await RunAsync("--email", "nobody@example.com");
        var usage = await RunAsync("--mail", Email);

        Assert.True(unknown.ExitCode == 2, unknown.Output);
        Assert.True(usage.ExitCode == 2, usage.Output);
        await _sink.AssertNoMailToAsync("nobody@example.com", _app);
        await _sink.AssertNoMailToAsync(Email, _app);
    }

    [Fact]
    public async Task Help_lists_the_command_with_its_arguments()
    {
        var help = await _app.RunCommandAsync(_sink, "help", []);

        Assert.True(help.ExitCode == 0, help.Output);
        Assert.Matches(@"(?m)^  sendpasswordreset --email <address> +mails the account a password reset link", help.Output);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) =>
        _app.RunCommandAsync(_sink, "sendpasswordreset", args);
}
