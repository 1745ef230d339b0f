using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;
using ModularUsersApp.Pages.Sessions;

// In this namespace so that Program.cs needs no using for the one line:
// builder.Services.AddSessions(builder.Configuration);
namespace Microsoft.Extensions.DependencyInjection;

public static class SessionsModule
{
    public static IServiceCollection AddSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionsOptions>()
            .Bind(configuration.GetSection(SessionsOptions.Section))
            .ValidateDataAnnotations()
            .Validate<IOptions<AccountsOptions>>(
                (sessions, accounts) => sessions.LastSeenWriteInterval < accounts.Value.SessionIdleTimeout,
                "Sessions:LastSeenWriteInterval must be shorter than Accounts:SessionIdleTimeout, or sessions in use would look expired.")
            .ValidateOnStart();
        services.AddSingleton<ISessionActivity, LastSeenTracker>();
        services.AddScoped<IUserEvents, NewDeviceAlerts>();
        services.AddScoped<SessionList>();
        services.AddScoped<IUserAdminPart, SessionsAdminPart>();
#if (geoip)
        services.AddSingleton<IIpLocator, MaxMindIpLocator>();
        services.AddHostedService<GeoIpStartupCheck>();
#else
        // `dotnet new mu-sessions --geoip` shows where each session is (MaxMindIpLocator).
        services.AddSingleton<IIpLocator, NoIpLocator>();
#endif
        services.AddSingleton<SessionRetention>();
        // purgesessions does the purge itself, with its own cutoff.
        if (!CommandLineCommand.IsRequested(PurgeSessionsCommand.CommandName))
        {
            services.AddHostedService<SessionPurgeService>();
        }
        services.AddCommandLineCommand<PurgeSessionsCommand>(PurgeSessionsCommand.CommandName, PurgeSessionsCommand.Arguments, PurgeSessionsCommand.Summary);
        services.AddSingleton(new AccountLink("Where you are signed in", "/Sessions/Index", AccountLinkPlace.UserMenu));
        return services;
    }
}
