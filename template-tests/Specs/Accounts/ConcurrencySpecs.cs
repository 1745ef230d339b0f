using System.Net;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Accounts;

public class ConcurrencySpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Fifty_concurrent_registrations_of_one_email_create_exactly_one_account()
    {
        // From fifty networks: one network may register only a few accounts an hour.
        var browsers = Enumerable.Range(0, 50).Select(i => _app.NewBrowser($"198.51.100.{i + 1}")).ToList();

        var responses = await Task.WhenAll(browsers.Select(b => b.RegisterAsync("race@example.com")));

        Assert.DoesNotContain(responses, r => r.StatusCode == HttpStatusCode.InternalServerError);
        Assert.Single(responses, r => r.IsRedirect());
        Assert.Equal(49, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(1, await _app.QueryAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == "RACE@EXAMPLE.COM")));
        browsers.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task Parallel_wrong_passwords_against_one_account_are_all_counted()
    {
        using (var owner = _app.NewBrowser())
        {
            await owner.RegisterAsync("target@example.com");
        }
        var browsers = Enumerable.Range(0, 4).Select(_ => _app.NewBrowser()).ToList();

        await Task.WhenAll(browsers.Select(b => b.SignInAsync("target@example.com", "a wrong guess here")));

        Assert.Equal(4, await _app.QueryAsync(db => db.Users.Select(u => u.FailedSignInCount).SingleAsync()));
        browsers.ForEach(b => b.Dispose());
    }
}
