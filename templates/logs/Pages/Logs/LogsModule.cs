using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;
using ModularUsersApp.Pages.Logs;

// In this namespace so that Program.cs needs no using for the one line:
// builder.Services.AddLogs(builder.Configuration);
namespace Microsoft.Extensions.DependencyInjection;

public static class LogsModule
{
    public static IServiceCollection AddLogs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LogsOptions>()
            .Bind(configuration.GetSection(LogsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<IUserEvents, AuthEventRecorder>();
        services.AddScoped<IUserAdminPart, LogsAdminPart>();
        services.AddSingleton(new TraceLink("Account events of this request", "/Logs/Index", "Filter.Trace"));
        services.AddSingleton<LogSearch>();
        services.AddSingleton<RepeatedRefusals>();
        services.AddHostedService<RepeatedRefusalWriter>();
        services.AddSingleton<LogRetention>();
        // purgelogs does the purge itself, with its own cutoff.
        if (!CommandLineCommand.IsRequested(PurgeLogsCommand.CommandName))
        {
            services.AddHostedService<LogPurgeService>();
        }
        services.AddCommandLineCommand<PurgeLogsCommand>(PurgeLogsCommand.CommandName, PurgeLogsCommand.Arguments, PurgeLogsCommand.Summary);
        return services;
    }
}
