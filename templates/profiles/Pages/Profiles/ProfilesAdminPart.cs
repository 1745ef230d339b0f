using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;

namespace ModularUsersApp.Pages.Profiles;

// The user's profile on an admin's user page, as the user filled it in.
public class ProfilesAdminPart(UsersDbContext db) : IUserAdminPart
{
    public string Name => "Profiles";

    public async Task<UserAdminSection> LoadAsync(User user, CancellationToken cancellationToken)
    {
        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == user.Id, cancellationToken);
        return new UserAdminSection("Profile", "/Pages/Profiles/_UserAdminPart.cshtml", new ProfilesAdminView(profile));
    }
}

public record ProfilesAdminView(Profile? Profile);
