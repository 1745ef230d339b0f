using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace ModularUsersApp.Pages.Accounts;

// A `dotnet run -- <name> [arguments]` command (createsuperuser, purgelogs, your own). It runs
// once the app has started (so Development migrations are applied), in place of the web server,
// then stops the app with its exit code: 0 success, 1 failure, 2 bad input.
// Register with services.AddCommandLineCommand<YourCommand>(YourCommand.CommandName).
public abstract class CommandLineCommand(IHostApplicationLifetime lifetime, ILogger logger) : BackgroundService
{
    // True when the app was started as `dotnet run -- <name> ...`.
    public static bool IsRequested(string name) => Environment.GetCommandLineArgs().Skip(1).FirstOrDefault() == name;

    protected abstract string Name { get; }

    protected abstract Task<int> RunAsync(string[] args, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            Environment.ExitCode = await RunAsync(Environment.GetCommandLineArgs().Skip(2).ToArray(), stoppingToken);
        }
        catch (Exception exception)
        {
            Log.CommandFailed(logger, Name, exception);
            Console.Error.WriteLine($"{Name} failed: {exception.Message}");
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}

// Stands in for Kestrel while a command runs, so no port is opened.
public sealed class CommandLineServer : IServer
{
    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }
}
