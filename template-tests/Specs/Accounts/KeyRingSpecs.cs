using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Specs.Support;

namespace Specs.Accounts;

// The Data Protection keys are in the users database; a certificate from configuration keeps a
// copy of that database from revealing them.
public class KeyRingSpecs
{
    [Fact]
    public async Task With_a_certificate_the_database_holds_only_encrypted_keys_and_a_restart_still_reads_the_cookie()
    {
        using var certificate = new TestCertificate();
        await using var app = await TestApp.StartAsync(certificate.Settings());
        using var browser = app.NewBrowser();
        var session = SessionCookie(await browser.RegisterAsync("keys@example.com"));

        var keys = await app.QueryAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.DoesNotContain("<masterKey", xml);
            Assert.Contains("<encryptedSecret", xml);
        });

        await using var restarted = app.Restart();
        Assert.Equal(HttpStatusCode.OK, await ChangePasswordPageAsync(restarted, session));
    }

    // The restart without the old certificate logs that it cannot decrypt the old key.
    [Trait("ServerErrors", "expected")]
    [Fact]
    public async Task After_a_certificate_rotation_the_previous_certificate_still_reads_the_keys_it_protected()
    {
        using var old = new TestCertificate("Old key ring");
        using var next = new TestCertificate("New key ring");
        await using var app = await TestApp.StartAsync(old.Settings());
        using var browser = app.NewBrowser();
        var session = SessionCookie(await browser.RegisterAsync("rotate@example.com"));

        var rotated = new Dictionary<string, string>(next.Settings())
        {
            ["DataProtection:PreviousCertificates:0:Path"] = old.PfxPath,
            ["DataProtection:PreviousCertificates:0:Password"] = TestCertificate.Password,
        };
        await using (var withoutOld = app.Restart(next.Settings()))
        {
            Assert.Equal(HttpStatusCode.Redirect, await ChangePasswordPageAsync(withoutOld, session));
        }
        await using var restarted = app.Restart(rotated);
        Assert.Equal(HttpStatusCode.OK, await ChangePasswordPageAsync(restarted, session));
    }

    [Fact]
    public async Task Without_a_certificate_every_start_outside_development_warns_that_the_keys_are_unencrypted()
    {
        var logs = new CapturedLogs();
        await using var development = await TestApp.StartAsync(services: logs.AddTo);
        using (var browser = development.NewBrowser())
        {
            await browser.RegisterAsync("warned@example.com");
        }
        Assert.Empty(KeyWarnings(logs));

        for (var start = 0; start < 2; start++)
        {
            logs.Clear();
            await using var production = development.Restart(environment: "Production");
            Assert.Single(KeyWarnings(logs));
        }

        using var certificate = new TestCertificate();
        logs.Clear();
        await using (development.Restart(certificate.Settings(), environment: "Production"))
        {
            Assert.Empty(KeyWarnings(logs));
        }
    }

    [Fact]
    public async Task Keys_stored_before_the_certificate_stay_unencrypted_and_every_start_outside_development_says_so()
    {
        var logs = new CapturedLogs();
        await using var development = await TestApp.StartAsync(services: logs.AddTo);
        using (var browser = development.NewBrowser())
        {
            await browser.RegisterAsync("early@example.com");
        }
        using var certificate = new TestCertificate();

        logs.Clear();
        await using (development.Restart(certificate.Settings(), environment: "Production"))
        {
            var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("before the key ring certificate"));
            Assert.StartsWith("1 ", warning.Message);
        }
        Assert.Contains(await development.QueryAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync()), xml => xml.Contains("<masterKey"));
    }

    [Theory]
    [InlineData("missing file", "no file")]
    [InlineData("wrong password", "password")]
    [InlineData("unknown thumbprint", "no certificate with thumbprint")]
    [InlineData("password alone", "or Thumbprint")]
    [InlineData("path and thumbprint", "or Thumbprint")]
    [InlineData("previous certificate alone", "PreviousCertificates is set")]
    public async Task A_misconfigured_certificate_stops_the_app_with_a_message(string mistake, string message)
    {
        using var certificate = new TestCertificate();
        var settings = mistake switch
        {
            "missing file" => new() { ["DataProtection:Certificate:Path"] = certificate.PfxPath + ".missing", ["DataProtection:Certificate:Password"] = TestCertificate.Password },
            "wrong password" => new() { ["DataProtection:Certificate:Path"] = certificate.PfxPath, ["DataProtection:Certificate:Password"] = "not the password" },
            "unknown thumbprint" => new() { ["DataProtection:Certificate:Thumbprint"] = certificate.Thumbprint },
            "password alone" => new() { ["DataProtection:Certificate:Password"] = TestCertificate.Password },
            "path and thumbprint" => new Dictionary<string, string>(certificate.Settings()) { ["DataProtection:Certificate:Thumbprint"] = certificate.Thumbprint },
            "previous certificate alone" => new()
            {
                ["DataProtection:PreviousCertificates:0:Path"] = certificate.PfxPath,
                ["DataProtection:PreviousCertificates:0:Password"] = TestCertificate.Password,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(mistake)),
        };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(settings));

        Assert.Contains("DataProtection:Certificate", error.Message);
        Assert.Contains(message, error.Message);
    }

    private static IEnumerable<CapturedLogs.Entry> KeyWarnings(CapturedLogs logs) =>
        logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("DataProtection:Certificate"));

    private static async Task<HttpStatusCode> ChangePasswordPageAsync(TestApp app, string session)
    {
        using var client = app.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = Browser.BaseAddress });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Accounts/ChangePassword") { Headers = { { "Cookie", session } } };
        return (await client.SendAsync(request)).StatusCode;
    }

    private static string SessionCookie(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Accounts.Session=")).Split(';')[0];
}
