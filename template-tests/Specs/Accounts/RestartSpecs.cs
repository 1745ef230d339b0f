using System.Net;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Accounts;

public class RestartSpecs
{
    [Fact]
    public async Task Sessions_survive_a_restart_because_the_cookie_keys_are_in_the_database()
    {
        await using var app = await TestApp.StartAsync();
        using var browser = app.NewBrowser();
        var registered = await browser.RegisterAsync("restart@example.com");
        var session = SessionCookie(registered);

        await using var restarted = app.Restart();
        using var client = restarted.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Accounts/ChangePassword") { Headers = { { "Cookie", session } } };
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await restarted.QueryAsync(db => db.DataProtectionKeys.AnyAsync()));
    }

    // The refused start is logged as a failed host start.
    [Trait("ServerErrors", "expected")]
    [Fact]
    public async Task Outside_development_the_app_refuses_a_database_without_its_migrations_and_names_the_command()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(environment: "Production"));

        Assert.Contains("dotnet ef database update --context UsersDbContext", error.ToString());
    }

    private static string SetCookie(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Accounts.Session="));

    private static string SessionCookie(HttpResponseMessage response) => SetCookie(response).Split(';')[0];
}
