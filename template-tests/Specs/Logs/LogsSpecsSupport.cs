using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Logs;

public static class LogsSpecsSupport
{
    public const string AdminEmail = "auditor@example.com";

    public static Task<Browser> SignedInAdminAsync(this TestApp app) => Admins.SignedInAdminAsync(app, AdminEmail);

    public static Task<List<AuthEvent>> EventsAsync(this TestApp app) =>
        app.QueryAsync(db => db.AuthEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

    // Rows added straight to the table, for paging and retention specs.
    public static Task SeedAsync(this TestApp app, IEnumerable<AuthEvent> events) =>
        app.QueryAsync(async db =>
        {
            db.AuthEvents.AddRange(events);
            return await db.SaveChangesAsync();
        });

    public static AuthEvent Seeded(string email, DateTime occurredAt, string type = AuthEventTypes.SignInFailed, string ip = "198.51.100.20") => new()
    {
        EventType = type,
        OccurredAt = occurredAt,
        Email = email,
        NormalizedEmail = User.NormalizeEmail(email),
        Succeeded = type != AuthEventTypes.SignInFailed,
        ClientIp = ip,
    };
}
