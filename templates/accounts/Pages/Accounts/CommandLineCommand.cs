using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts;

// A `dotnet run -- <name> [arguments]` command (createsuperuser, purgelogs, your own). It runs
// once the app has started (so Development migrations are applied), in place of the web server,
// then stops the app with its exit code: 0 success, 1 failure, 2 bad input.
// Register with services.AddCommandLineCommand<YourCommand>(YourCommand.CommandName,
// YourCommand.Arguments, YourCommand.Summary); `dotnet run -- help` lists it with those.
public abstract class CommandLineCommand(IHostApplicationLifetime lifetime, ILogger logger) : BackgroundService
{
    // True when the app was started as `dotnet run -- <name> ...`.
    public static bool IsRequested(string name) => Environment.GetCommandLineArgs().Skip(1).FirstOrDefault() == name;

    protected abstract string Name { get; }

    protected abstract Task<int> RunAsync(string[] args, CancellationToken cancellationToken);

    // For purge commands: no arguments (before is null: the command's default cutoff), or
    // "--before yyyy-MM-dd" (before is midnight UTC of that day). False for anything else.
    protected static bool TryReadBefore(string[] args, out DateTime? before)
    {
        before = null;
        switch (args)
        {
            case []:
                return true;
            case ["--before", var text] when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date):
                before = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                return true;
            default:
                return false;
        }
    }

    // For commands that act on one account ("--email <address>"): the account, its roles loaded,
    // or null after saying why (the usage for other arguments, or no account has the address).
    protected static async Task<User?> FindAccountAsync(
        IServiceProvider services, string name, string arguments, string[] args, CancellationToken cancellationToken)
    {
        if (args is not ["--email", var email])
        {
            Console.Error.WriteLine($"Usage: dotnet run -- {name} {arguments}");
            return null;
        }
        var normalizedEmail = User.NormalizeEmail(email);
        var user = await services.GetRequiredService<UsersDbContext>().Users.Include(u => u.Roles)
            .SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        if (user is null)
        {
            Console.Error.WriteLine($"No account has the email {email.Trim()}; nothing was changed.");
        }
        return user;
    }

    // The new password from the environment variable, or asked twice without echo; null (after
    // saying why) when there is no terminal to ask or the two answers differ.
    protected static string? ReadPassword(string variable)
    {
        var password = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(password))
        {
            return password;
        }
        if (Console.IsInputRedirected)
        {
            Console.Error.WriteLine($"No terminal to ask for the password: set {variable} instead.");
            return null;
        }
        password = ReadHidden("Password: ");
        if (ReadHidden("Password (again): ") != password)
        {
            Console.Error.WriteLine("The passwords do not match; nothing was changed.");
            return null;
        }
        return password;
    }

    private static string ReadHidden(string prompt)
    {
        Console.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.WriteLine();
                return text.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var source = WorkSource.Begin($"command:{Name}");
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

public static class CommandLineCommandRegistration
{
    // When the app was started as `dotnet run -- <name> ...`: runs the command instead of the web server.
    // arguments ("--email <address>") and summary (what it does) are what `dotnet run -- help` shows.
    public static IServiceCollection AddCommandLineCommand<TCommand>(this IServiceCollection services, string name, string arguments = "", string summary = "")
        where TCommand : CommandLineCommand
    {
        services.AddSingleton(new CommandLineCommandHelp(name, arguments, summary));
        if (CommandLineCommand.IsRequested(name))
        {
            services.AddSingleton<IServer, CommandLineServer>();
            services.AddHostedService<TCommand>();
            // The command's own output, without the framework's request and SQL logging.
            services.AddLogging(logging => logging.AddFilter("Microsoft", LogLevel.Warning));
        }
        return services;
    }
}

public record CommandLineCommandHelp(string Name, string Arguments, string Summary);

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
