using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using ModularUsersApp.Pages.Audit;

// In this namespace so that Program.cs needs no using for the one line:
// builder.Services.AddAudit(builder.Configuration);
namespace Microsoft.Extensions.DependencyInjection;

public static class AuditModule
{
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<AuditWho>();
        services.AddSingleton<AuditBulk>();
        // UsersDbContext takes every IInterceptor registered here (AccountsModule); your own
        // contexts take them with options.AddAuditTrail(services).
        services.AddSingleton<AuditRecorder>();
        services.AddSingleton<IInterceptor>(provider => provider.GetRequiredService<AuditRecorder>());
        services.AddSingleton<BulkChangeGuard>();
        services.AddSingleton<IInterceptor>(provider => provider.GetRequiredService<BulkChangeGuard>());
        return services;
    }

    // For a DbContext of your own whose entities are marked .Audited(): its saves record entries
    // in an AuditEntries table of its own database (add a migration after this line).
    //   builder.Services.AddDbContext<ShopDbContext>((services, options) => options.UseSqlite(...).AddAuditTrail(services));
    public static DbContextOptionsBuilder AddAuditTrail(this DbContextOptionsBuilder options, IServiceProvider services) =>
        options.AddInterceptors(services.GetServices<IInterceptor>())
            .ReplaceService<IModelCustomizer, AuditEntriesModelCustomizer>();
}
