using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Accounts;

// Conditions a developer must fix before the app can work stop the start-up with one message
// that names the fix, not with a failure at the first request or a stack trace.
public class StartupRefusalSpecs
{
    [Fact]
    [Trait(ServerErrors.Trait, ServerErrors.Expected)]
    public async Task An_app_that_also_uses_aspnet_core_identity_does_not_start_and_is_told_why()
    {
        // What AddIdentity and AddDefaultIdentity register first of all.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(services: services =>
            services.AddAuthentication().AddCookie("Identity.Application")));

        var refusal = Assert.IsType<StartupRefusedException>(Innermost(error, e => e is StartupRefusedException));
        Assert.StartsWith("This app already uses ASP.NET Core Identity", refusal.Message);
        Assert.Equal(refusal.Message, refusal.ToString());
    }

    [Fact]
    [Trait(ServerErrors.Trait, ServerErrors.Expected)]
    public async Task A_database_the_app_cannot_reach_stops_it_with_the_setting_to_check()
    {
        // With a password, which no message may show.
        var unreachable = SpecsEnvironment.Database == "postgres"
            ? "Host=127.0.0.1;Port=1;Database=users;Username=app;Password=Unique-Secret-123;Timeout=3"
            : $"Data Source={Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}", "users.db")}";

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(new() { ["ConnectionStrings:Users"] = unreachable }));

        var refusal = Assert.IsType<StartupRefusedException>(Innermost(error, e => e is StartupRefusedException));
        // PostgreSQL is reached when the pending migrations are read; a SQLite file is first opened
        // to apply them.
        Assert.StartsWith("The users database (", refusal.Message);
        Assert.Contains("from ConnectionStrings:Users) ", refusal.Message);
        Assert.DoesNotContain("Unique-Secret-123", error.ToString());
    }

    private static Exception? Innermost(Exception error, Func<Exception, bool> match)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (match(current))
            {
                return current;
            }
            if (current is AggregateException { InnerExceptions: var inner } && inner.FirstOrDefault(match) is { } found)
            {
                return found;
            }
        }
        return null;
    }
}
