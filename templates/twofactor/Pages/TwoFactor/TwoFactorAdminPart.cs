using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;

namespace ModularUsersApp.Pages.TwoFactor;

// The two-factor section of an admin's user page: whether it is on, the recovery codes left, and
// "Reset two-factor" for a user who lost both their authenticator and their codes.
public class TwoFactorAdminPart(UsersDbContext db, TwoFactorService twoFactor) : IUserAdminPart
{
    public const string ResetAction = "Reset";

    public string Name => "TwoFactor";

    public async Task<UserAdminSection> LoadAsync(User user, CancellationToken cancellationToken)
    {
        var enabledAt = await db.Authenticators.Where(a => a.UserId == user.Id && a.EnabledAt != null)
            .Select(a => a.EnabledAt).SingleOrDefaultAsync(cancellationToken);
        var codesLeft = enabledAt is null ? 0 : await twoFactor.RecoveryCodesLeftAsync(user.Id, cancellationToken);
        return new UserAdminSection("Two-factor", "/Pages/TwoFactor/_UserAdminPart.cshtml", new TwoFactorAdminView(user.Id, Name, enabledAt, codesLeft, UserAdminPassword.IsAskedFor(user)));
    }

    public async Task<UserAdminResult?> RunAsync(User user, string action, string? argument, string by, CancellationToken cancellationToken)
    {
        if (action != ResetAction)
        {
            return null;
        }
        await twoFactor.ResetByAdminAsync(user, by, cancellationToken);
        return UserAdminResult.Success(
            $"Two-factor of {user.Email} is off and every session of theirs has ended; they sign in with their password and can set it up again.");
    }
}

public record TwoFactorAdminView(Guid UserId, string PartName, DateTimeOffset? EnabledAt, int RecoveryCodesLeft, bool AsksPassword);

// "Two-factor on" in the admin's user list.
public class TwoFactorUserListFilter(UsersDbContext db) : IUserListFilter
{
    public string Value => "twofactor";

    public string Label => "Two-factor on";

    public IQueryable<User> Apply(IQueryable<User> users) =>
        users.Where(u => db.Authenticators.Any(a => a.UserId == u.Id && a.EnabledAt != null));
}
