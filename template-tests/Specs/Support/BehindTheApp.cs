namespace Specs.Support;

public static class BehindTheApp
{
    // Sets up a state the app's pages would not reach in one step (a deactivated account, a
    // deleted profile) through the app's context, one tracked change at a time and one save: so
    // the setup passes the audit module's interceptors as the app's own changes do.
    public static Task<int> SaveAsync(this TestApp app, Func<UsersDbContext, Task> change) => app.QueryAsync(async db =>
    {
        await change(db);
        return await db.SaveChangesAsync();
    });
}
