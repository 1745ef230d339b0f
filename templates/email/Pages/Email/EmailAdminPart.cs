using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;

namespace ModularUsersApp.Pages.Email;

// The email section of an admin's user page: whether the address is confirmed, and "Send a
// password reset link" for a user who cannot sign in (the link goes to their address only).
public class EmailAdminPart(EmailConfirmation confirmation, PasswordReset passwordReset) : IUserAdminPart
{
    public const string SendResetLinkAction = "SendResetLink";

    public string Name => "Email";

    public async Task<UserAdminSection> LoadAsync(User user, CancellationToken cancellationToken) =>
        new("Email", "/Pages/Email/_UserAdminPart.cshtml",
            new EmailAdminView(user.Id, Name, user.IsActive, await confirmation.IsUnconfirmedAsync(user, cancellationToken), UserAdminPassword.IsAskedFor(user)));

    public async Task<UserAdminResult?> RunAsync(User user, string action, string? argument, string by, CancellationToken cancellationToken)
    {
        if (action != SendResetLinkAction)
        {
            return null;
        }
        if (!user.IsActive)
        {
            return UserAdminResult.Refused($"{user.Email} is deactivated: reactivate the account first; nothing was sent.");
        }
        await passwordReset.SendLinkAsync(user, cancellationToken, by);
        return UserAdminResult.Success($"A password reset link is on its way to {user.Email}.");
    }
}

public record EmailAdminView(Guid UserId, string PartName, bool IsActive, bool IsUnconfirmed, bool AsksPassword);
