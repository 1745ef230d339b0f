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
        // contexts take them with options.AddAuditTrail(services).
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

    // For a DbContext of your own whose entities are marked .Audited(): its saves record entries
    // in an AuditEntries table of its own database (add a migration after this line).
    //   builder.Services.AddDbContext<ShopDbContext>((services, options) => options.UseSqlite(...).AddAuditTrail(services));
    public static DbContextOptionsBuilder AddAuditTrail(this DbContextOptionsBuilder options, IServiceProvider services) =>
        options.AddInterceptors(services.GetServices<IInterceptor>())
            .ReplaceService<IModelCustomizer, AuditEntriesModelCustomizer>();
}
