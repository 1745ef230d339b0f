using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Accounts;

public class SessionCostSpecs
{
    [Fact]
    public async Task Requests_of_an_unchanged_user_check_the_session_without_a_database_query()
    {
        var commands = new CommandCounter();
        // The longest cache duration: the memory cache also drops entries after that much real
        // time, which the fake clock does not control; ten minutes never pass during this spec.
        // Only the requests' commands count: the modules' background work (the outbox sender,
        // purges) queries on its own timer, outside any request.
        await using var app = await TestApp.StartAsync(new() { ["Accounts:SessionCacheDuration"] = "00:10:00" }, services: services =>
            services.ConfigureDbContext<UsersDbContext>((provider, options) =>
                options.AddInterceptors(commands.During(provider.GetRequiredService<IHttpContextAccessor>()))));
        using var browser = app.NewBrowser();
        await browser.RegisterAsync("cached@example.com");
        await browser.GetAsync("/");

        var before = commands.Count;
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.GetAsync("/Accounts/ChangePassword")).Status);
        }

        Assert.Equal(before, commands.Count);

        // Once the cache period has passed, one query refreshes the stamp.
        app.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await browser.GetAsync("/Accounts/ChangePassword");
        await browser.GetAsync("/Accounts/ChangePassword");
        Assert.Equal(before + 1, commands.Count);
    }

    // Counts the commands run while a request is being handled.
    private sealed class CommandCounter
    {
        private int _count;

        public int Count => _count;

        public DbCommandInterceptor During(IHttpContextAccessor requests) => new Interceptor(this, requests);

        private sealed class Interceptor(CommandCounter counter, IHttpContextAccessor requests) : DbCommandInterceptor
        {
            public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
                DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
            {
                if (requests.HttpContext is not null)
                {
                    Interlocked.Increment(ref counter._count);
                }
                return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
            }
        }
    }
}
