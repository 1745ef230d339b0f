using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

// In this namespace so that Program.cs needs no using for the one line:
// builder.Services.AddAccounts(builder.Configuration);
namespace Microsoft.Extensions.DependencyInjection;

public static class AccountsModule
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountsOptions>()
            .Bind(configuration.GetSection(AccountsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var connectionString = configuration.GetConnectionString("Users");
#if (UsePostgres)
        // A missing connection string stops the app at start-up with a message (UsersDatabaseStartup);
        // dotnet ef can still create migrations without one.
        services.AddDbContext<UsersDbContext>(options => options.UseNpgsql(connectionString ?? ""));
#elif (UseSqlServer)
        // A missing connection string stops the app at start-up with a message (UsersDatabaseStartup);
        // dotnet ef can still create migrations without one.
        services.AddDbContext<UsersDbContext>(options => options.UseSqlServer(connectionString ?? ""));
#else
        // SQLite needs no server: the database is a file next to the app, created on first run.
        services.AddDbContext<UsersDbContext>(options => options.UseSqlite(connectionString ?? "Data Source=users.db"));
#endif

        // Keys for cookies and module secrets live in the users database (see UsersDbContext).
        services.AddDataProtection()
            .SetApplicationName("ModularUsersApp")
            .PersistKeysToDbContext<UsersDbContext>();

        var forwarded = configuration.GetSection(ForwardedHeadersSettings.Section).Get<ForwardedHeadersSettings>() ?? new();
        if (forwarded.IsConfigured)
        {
            services.Configure<ForwardedHeadersOptions>(forwarded.ApplyTo);
            services.AddTransient<IStartupFilter, ForwardedHeadersStartup>();
        }

        services.AddHttpContextAccessor();
        services.AddMemoryCache();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<PasswordPolicy>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<SecurityStampCache>();
        services.AddScoped<SessionValidator>();
        services.AddScoped<UserEventPublisher>();
        services.AddScoped<AccountLockout>();
        services.AddScoped<PasswordSignIn>();
        services.AddScoped<UserSignIn>();
        services.AddScoped<UserAccounts>();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/Accounts/Login";
                options.LogoutPath = "/Accounts/Logout";
                options.AccessDeniedPath = "/Accounts/AccessDenied";
                options.ReturnUrlParameter = "returnUrl";
                options.Cookie.Name = "Accounts.Session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = context =>
                    context.HttpContext.RequestServices.GetRequiredService<SessionValidator>().ValidateAsync(context);
            })
            .AddCookie(UserSignIn.PendingScheme, options =>
            {
                options.Cookie.Name = "Accounts.Pending";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.ExpireTimeSpan = TimeSpan.FromMinutes(5);
                options.SlidingExpiration = false;
            });
        // Cookies are HTTPS-only outside Development (where http://localhost must keep working).
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IHostEnvironment, IOptions<AccountsOptions>>((options, environment, accounts) =>
            {
                options.Cookie.SecurePolicy = SecurePolicy(environment);
                options.ExpireTimeSpan = accounts.Value.SessionIdleTimeout;
            });
        services.AddOptions<CookieAuthenticationOptions>(UserSignIn.PendingScheme)
            .Configure<IHostEnvironment>((options, environment) => options.Cookie.SecurePolicy = SecurePolicy(environment));
        services.AddAuthorization();

        services.AddHostedService<UsersDatabaseStartup>();
        services.AddCommandLineCommand<CreateSuperuserCommand>(CreateSuperuserCommand.CommandName);
        return services;
    }

    // When the app was started as `dotnet run -- <name> ...`: runs the command instead of the web server.
    public static IServiceCollection AddCommandLineCommand<TCommand>(this IServiceCollection services, string name)
        where TCommand : CommandLineCommand
    {
        if (CommandLineCommand.IsRequested(name))
        {
            services.AddSingleton<IServer, CommandLineServer>();
            services.AddHostedService<TCommand>();
            // The command's own output, without the framework's request and SQL logging.
            services.AddLogging(logging => logging.AddFilter("Microsoft", LogLevel.Warning));
        }
        return services;
    }

    private static CookieSecurePolicy SecurePolicy(IHostEnvironment environment) =>
        environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
}
