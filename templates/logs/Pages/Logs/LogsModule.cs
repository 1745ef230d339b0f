using Microsoft.AspNetCore.Hosting.Server;
using ModularUsersApp.Pages.Accounts;
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
        services.AddSingleton<LogRetention>();

        if (PurgeLogsCommand.IsRequested(Environment.GetCommandLineArgs()))
        {
            // "dotnet run -- purgelogs": run the command instead of the web server.
            services.AddSingleton<IServer, CommandLineServer>();
            services.AddHostedService<PurgeLogsCommand>();
            services.AddLogging(logging => logging.AddFilter("Microsoft", LogLevel.Warning));
        }
        else
        {
            services.AddHostedService<LogPurgeService>();
        }
        return services;
    }
}
