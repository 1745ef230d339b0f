using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;

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
        // Every save and command of the context passes the interceptors modules register (the
        // audit module records changes to audited data with them).
#if (UsePostgres)
        // A missing connection string stops the app at start-up with a message (UsersDatabaseStartup);
        // dotnet ef can still create migrations without one.
        services.AddDbContext<UsersDbContext>((provider, options) => options.UseNpgsql(connectionString ?? "")
            .AddInterceptors(provider.GetServices<IInterceptor>()));
#elif (UseSqlServer)
        // A missing connection string stops the app at start-up with a message (UsersDatabaseStartup);
        // dotnet ef can still create migrations without one.
        services.AddDbContext<UsersDbContext>((provider, options) => options.UseSqlServer(connectionString ?? "")
            .AddInterceptors(provider.GetServices<IInterceptor>()));
#else
        // SQLite needs no server: the database is a file next to the app, created on first run.
        services.AddDbContext<UsersDbContext>((provider, options) => options.UseSqlite(connectionString ?? "Data Source=users.db")
            .AddInterceptors(provider.GetServices<IInterceptor>())
            .AddInterceptors(new SqliteConnectionSetup()));
#endif

        // Keys for cookies and module secrets live in the users database (see UsersDbContext),
        // encrypted with the certificate from the "DataProtection" section when one is set
        // (KeyRingCertificate.cs). Keep this name: changing it makes every cookie and secret unreadable.
        var dataProtection = services.AddDataProtection()
            .SetApplicationName("ModularUsersApp")
            .PersistKeysToDbContext<UsersDbContext>();
        (configuration.GetSection(KeyRingSettings.Section).Get<KeyRingSettings>() ?? new()).ApplyTo(dataProtection);

        // PostConfigure: after the framework's own set-up, which with ASPNETCORE_FORWARDEDHEADERS_ENABLED
        // trusts every peer. See ForwardedHeadersSetup.cs.
        var forwarded = configuration.GetSection(ForwardedHeadersSettings.Section).Get<ForwardedHeadersSettings>() ?? new();
        services.AddSingleton(forwarded);
        services.PostConfigure<ForwardedHeadersOptions>(forwarded.ApplyTo);
        services.AddTransient<IStartupFilter, ForwardedHeadersStartup>();

        services.AddHttpContextAccessor();
        services.AddMemoryCache();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<PasswordPolicy>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<PostRateLimits>();
        services.AddScoped<UnknownEmailLockouts>();
        services.AddSingleton<SessionCache>();
        services.AddSingleton<SessionCookie.Validator>();
        services.AddScoped<UserEventPublisher>();
        services.AddScoped<SecretJudge>();
        services.AddScoped<PasswordSignIn>();
        services.AddScoped<UserSignIn>();
        services.AddScoped<UserAccounts>();
        services.AddScoped<UserAdministration>();

        services.AddAuthentication(SessionCookie.Scheme)
            .AddCookie(options =>
            {
                options.LoginPath = AccountsStartupCheck.SignInPage;
                options.LogoutPath = "/Accounts/Logout";
                options.AccessDeniedPath = "/Accounts/AccessDenied";
                options.ReturnUrlParameter = "returnUrl";
                options.Cookie.Name = "Accounts.Session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = context =>
                    context.HttpContext.RequestServices.GetRequiredService<SessionCookie.Validator>().ValidateAsync(context);
            })
            .AddCookie(SessionCookie.PendingScheme, options =>
            {
                options.Cookie.Name = "Accounts.Pending";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.ExpireTimeSpan = TimeSpan.FromMinutes(5);
                options.SlidingExpiration = false;
            });
        services.AddOptions<CookieAuthenticationOptions>(SessionCookie.Scheme)
            .Configure<IHostEnvironment, IOptions<AccountsOptions>>((options, environment, accounts) =>
            {
                SecureOutsideDevelopment(options.Cookie, environment);
                options.ExpireTimeSpan = accounts.Value.SessionIdleTimeout;
            })
            // After AddCookie's own PostConfigure, which creates the TicketDataFormat.
            .PostConfigure<IOptions<AccountsOptions>>((options, accounts) =>
                options.TicketDataFormat = new SessionCookie.TicketCache(options.TicketDataFormat, accounts.Value.SessionCacheDuration));
        services.AddOptions<CookieAuthenticationOptions>(SessionCookie.PendingScheme)
            .Configure<IHostEnvironment>((options, environment) => SecureOutsideDevelopment(options.Cookie, environment));
        // The app's other cookies: the antiforgery cookie of every form, and TempData (messages
        // and the recovery codes shown once after they are made).
        services.AddOptions<AntiforgeryOptions>()
            .Configure<IHostEnvironment>((options, environment) =>
            {
                if (!environment.IsDevelopment())
                {
                    options.Cookie.Name = "Antiforgery";
                }
                SecureOutsideDevelopment(options.Cookie, environment);
            });
        services.AddOptions<CookieTempDataProviderOptions>()
            .Configure<IHostEnvironment>((options, environment) =>
            {
                if (!environment.IsDevelopment())
                {
                    options.Cookie.Name = "TempData";
                }
                SecureOutsideDevelopment(options.Cookie, environment);
            });
        services.AddAuthorization();
        services.Configure<MvcOptions>(options => options.Filters.Add(new PasswordHasherBusyFilter()));

        // Each stops the start-up with one line saying what to fix (StartupRefusedException).
        AppDomain.CurrentDomain.UnhandledException -= StartupRefusedException.ExitQuietly;
        AppDomain.CurrentDomain.UnhandledException += StartupRefusedException.ExitQuietly;
        services.AddHostedService<AccountsStartupCheck>();
        services.AddHostedService<UsersDatabaseStartup>();
        // After UsersDatabaseStartup: it reads the keys table, which must exist by then.
        services.AddHostedService<KeyRingStartupCheck>();
        services.AddCommandLineCommand<HelpCommand>(HelpCommand.CommandName, HelpCommand.Arguments, HelpCommand.Summary);
        services.AddCommandLineCommand<CreateSuperuserCommand>(CreateSuperuserCommand.CommandName, CreateSuperuserCommand.Arguments, CreateSuperuserCommand.Summary);
        services.AddCommandLineCommand<ChangePasswordCommand>(ChangePasswordCommand.CommandName, ChangePasswordCommand.Arguments, ChangePasswordCommand.Summary);
        services.AddCommandLineCommand<ListUsersCommand>(ListUsersCommand.CommandName, ListUsersCommand.Arguments, ListUsersCommand.Summary);
        services.AddCommandLineCommand<DeactivateUserCommand>(DeactivateUserCommand.CommandName, DeactivateUserCommand.Arguments, DeactivateUserCommand.Summary);
        services.AddCommandLineCommand<ReactivateUserCommand>(ReactivateUserCommand.CommandName, ReactivateUserCommand.Arguments, ReactivateUserCommand.Summary);
        return services;
    }

    // Outside Development cookies are HTTPS-only and named __Host-, so browsers refuse one sent
    // over http, set by a subdomain, or with a Domain or a Path other than "/". Development keeps
    // plain names because __Host- requires Secure, and http://localhost must keep working.
    // Modules use it for cookies of their own.
    public static void SecureOutsideDevelopment(CookieBuilder cookie, IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
        {
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            return;
        }
        cookie.SecurePolicy = CookieSecurePolicy.Always;
        cookie.Name = "__Host-" + cookie.Name;
        cookie.Path = "/";
        cookie.Domain = null;
    }
}
