using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Audit;

// In this namespace so that Program.cs needs no using for the one line:
// builder.Services.AddAudit(builder.Configuration);
namespace Microsoft.Extensions.DependencyInjection;

public static class AuditModule
{
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection(AuditOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddSingleton<AuditWho>();
        services.AddSingleton<AuditBulk>();
        // UsersDbContext takes every IInterceptor registered here (AccountsModule); your own
        // contexts take them with options.AddAuditTrail (below).
        services.AddSingleton<AuditRecorder>();
        services.AddSingleton<IInterceptor>(provider => provider.GetRequiredService<AuditRecorder>());
        services.AddSingleton<BulkChangeGuard>();
        services.AddSingleton<IInterceptor>(provider => provider.GetRequiredService<BulkChangeGuard>());
        services.AddSingleton<AuditRetention>();
        // purgeaudit does the purge itself, with its own cutoff.
        if (!CommandLineCommand.IsRequested(PurgeAuditCommand.CommandName))
        {
            services.AddHostedService<AuditPurgeService>();
        }
        services.AddCommandLineCommand<PurgeAuditCommand>(PurgeAuditCommand.CommandName, PurgeAuditCommand.Arguments, PurgeAuditCommand.Summary);
        services.AddSingleton(new AccountLink("Changes to data", "/Audit/Index", AccountLinkPlace.AdminMenu));
        return services;
    }

    // For a DbContext of your own whose entities are marked .Audited(), where it is registered:
    //   builder.Services.AddDbContext<ShopDbContext>((services, options) =>
    //       options.UseSqlite(...).AddAuditTrail(services, onUsersDatabase: true));
    // Its saves record entries in the same save, so in an AuditEntries table of its database.
    // onUsersDatabase: true when it uses the users database (the same connection string): the
    // entries join the users' trail in /Audit, in the table the users' migrations made. false: a
    // database of its own; add a migration of your context after this line (it creates the
    // table there), and the entries stay in that database.
    public static DbContextOptionsBuilder AddAuditTrail(this DbContextOptionsBuilder options, IServiceProvider services, bool onUsersDatabase)
    {
        options.AddInterceptors(services.GetServices<IInterceptor>());
        return onUsersDatabase
            ? options.ReplaceService<IModelCustomizer, AuditEntriesOfTheUsersDatabase>()
            : options.ReplaceService<IModelCustomizer, AuditEntriesOfItsOwn>();
    }
}
