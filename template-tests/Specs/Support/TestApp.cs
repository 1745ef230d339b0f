using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Specs.Support;

// The app under test, in memory, on its own empty database, with a clock the spec moves.
// Settings are configuration keys as in appsettings.json ("Accounts:LockoutFailures").
public sealed class TestApp : WebApplicationFactory<Program>
{
    private readonly TestDatabase _database;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly string _environment;
    private bool _ownsDatabase = true;

    private TestApp(TestDatabase database, IReadOnlyDictionary<string, string> settings, Action<IServiceCollection>? services, string environment)
    {
        _database = database;
        _settings = settings;
        _services = services;
        _environment = environment;
    }

    // Starts on a whole second: PostgreSQL keeps microseconds, SQL Server and SQLite other precisions.
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    public string ConnectionString => _database.ConnectionString;

    public static async Task<TestApp> StartAsync(
        Dictionary<string, string>? settings = null, Action<IServiceCollection>? services = null, string environment = "Development")
    {
        var database = await TestDatabase.CreateAsync();
        var app = new TestApp(database, settings ?? [], services, environment);
        try
        {
            app.StartServer();
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
        return app;
    }

    // Another app on the same database: a restart, or a second instance.
    public TestApp Restart(Dictionary<string, string>? settings = null, string environment = "Development")
    {
        var app = new TestApp(_database, settings ?? new Dictionary<string, string>(_settings), _services, environment) { _ownsDatabase = false };
        app.StartServer();
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("ConnectionStrings:Users", _database.ConnectionString);
        // Specs that register expect to be signed in, as without the email module (ignored without it).
        builder.UseSetting("Email:RequireConfirmedEmail", "false");
        if (_environment != "Development")
        {
            // What the email module requires outside Development (ignored without it). Specs about
            // mail give their own; other mail goes to a closed port and waits in the outbox.
            builder.UseSetting("App:PublicBaseUrl", Browser.BaseAddress.GetLeftPart(UriPartial.Authority));
            builder.UseSetting("Email:From", "noreply@localhost");
            builder.UseSetting("Email:Smtp:Host", "127.0.0.1");
            builder.UseSetting("Email:Smtp:Port", "9");
            builder.UseSetting("Email:Smtp:Security", "None");
        }
        // The sessions module's locations, with --geoip (ignored without it).
        builder.UseSetting("Sessions:GeoIpDatabasePath", TestGeoIpDatabase.SharedPath);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            // First of all middleware, as the network connection would be.
            services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter, PeerAddress>());
            services.AddSingleton<IStartupFilter, SignedInRoles>();
            services.AddSingleton<ILoggerProvider, ServerErrors>();
            _services?.Invoke(services);
        });
    }

    // Redirects are not followed; cookies are kept in the browser's own jar.
    public Browser NewBrowser()
    {
        var cookies = new CookieContainer();
        return new Browser(CreateDefaultClient(Browser.BaseAddress, new CookieContainerHandler(cookies)), cookies);
    }

    // A browser on another network: its requests come from peerAddress.
    public Browser NewBrowser(string peerAddress)
    {
        var browser = NewBrowser();
        browser.Client.DefaultRequestHeaders.Add(PeerAddress.Header, peerAddress);
        return browser;
    }

    public async Task<T> QueryAsync<T>(Func<UsersDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<UsersDbContext>());
    }

    // Runs the built app as `dotnet <app>.dll <command> <args>`, the way `dotnet run -- <command>`
    // does: in Development, on this app's database, with no terminal to ask from. settings:
    // configuration keys ("Email:From") for that run.
    public async Task<(int ExitCode, string Output)> RunCommandAsync(
        string command, IEnumerable<string> args, IEnumerable<KeyValuePair<string, string>>? settings = null)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            WorkingDirectory = SpecsEnvironment.AppProjectDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, typeof(Program).Assembly.GetName().Name + ".dll"));
        start.ArgumentList.Add(command);
        args.ToList().ForEach(start.ArgumentList.Add);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__Users"] = ConnectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? [])
        {
            start.Environment[key.Replace(":", "__")] = value;
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopped rather than left holding the database the next spec uses.
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output + await error);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase)
        {
            await _database.DisposeAsync();
        }
    }
}

// The test server has no network peer; this gives each request the address in the X-Specs-Peer
// header (192.0.2.1 without it), as if it came from there. X-Specs-Scheme: http makes a request
// the browser sent over https reach the app over http, as from a proxy that ends TLS.
public sealed class PeerAddress : IStartupFilter
{
    public const string Header = "X-Specs-Peer";
    public const string SchemeHeader = "X-Specs-Scheme";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(
                context.Request.Headers.TryGetValue(Header, out var peer) ? peer.ToString() : "192.0.2.1");
            if (context.Request.Headers.TryGetValue(SchemeHeader, out var scheme))
            {
                context.Request.Scheme = scheme.ToString();
            }
            return nextMiddleware(context);
        });
        next(app);
    };
}

// GET /specs/roles answers with the roles the request's session has now, one per line, or 401
// without a session: what [Authorize(Roles = ...)] would see.
public sealed class SignedInRoles : IStartupFilter
{
    public const string Path = "/specs/roles";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // MapWhen, not Map: a rejected cookie is deleted for the path "/", as on a real page.
        app.MapWhen(context => context.Request.Path == Path, branch => branch.Run(async context =>
        {
            var result = await context.AuthenticateAsync();
            if (!result.Succeeded)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            var roles = result.Principal.FindAll(ClaimTypes.Role).Select(c => c.Value);
            await context.Response.WriteAsync(string.Join('\n', roles));
        }));
        next(app);
    };
}

public static class HttpStatus
{
    public static bool IsRedirect(this HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther;

    // Where a redirect sends, as a path, whether the app wrote the Location relative or absolute.
    public static string? RedirectPath(this HttpResponseMessage response) => response.Headers.Location switch
    {
        null => null,
        { IsAbsoluteUri: true } location => location.AbsolutePath,
        var location => new Uri(Browser.BaseAddress, location).AbsolutePath,
    };
}
