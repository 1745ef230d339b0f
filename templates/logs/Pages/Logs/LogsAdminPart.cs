using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;

namespace ModularUsersApp.Pages.Logs;

// The recent events of a user on an admin's user page, with a link to all of them on /Logs.
public class LogsAdminPart(UsersDbContext db) : IUserAdminPart
{
    private const int Shown = 10;

    public string Name => "Logs";

    public async Task<UserAdminSection> LoadAsync(User user, CancellationToken cancellationToken)
    {
        var recent = await db.AuthEvents.AsNoTracking()
            .Where(e => e.UserId == user.Id)
            .OrderByDescending(e => e.Id)
            .Take(Shown)
            .ToListAsync(cancellationToken);
        return new UserAdminSection("Recent events", "/Pages/Logs/_UserAdminPart.cshtml", new LogsAdminView(user.Id, recent));
    }
}

public record LogsAdminView(Guid UserId, IReadOnlyList<AuthEvent> Recent);
