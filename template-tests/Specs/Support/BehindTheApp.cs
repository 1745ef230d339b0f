using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Specs.Support;

public static class BehindTheApp
{
    // Changes rows the way a database shell would, past the app's interceptors: specs set up
    // states (a deactivated account, a deleted profile) that the app's own code never writes in
    // one statement, and the audit module's guard refuses bulk statements on audited tables.
    public static async Task<int> ChangeDirectlyAsync(this TestApp app, Func<UsersDbContext, Task<int>> change)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<DbContextOptions<UsersDbContext>>();
        var withoutInterceptors = new DbContextOptionsBuilder<UsersDbContext>(options);
        ((IDbContextOptionsBuilderInfrastructure)withoutInterceptors).AddOrUpdateExtension(
            options.FindExtension<CoreOptionsExtension>()!.WithInterceptors([]));
        await using var db = new UsersDbContext(withoutInterceptors.Options);
        return await change(db);
    }
}
