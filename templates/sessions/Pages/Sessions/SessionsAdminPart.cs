using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;

namespace ModularUsersApp.Pages.Sessions;

// The sessions of a user on an admin's user page, each with its sign-out button (handled by
// /Sessions/Admin, which comes back to the user page).
public class SessionsAdminPart(SessionList sessionList, IHttpContextAccessor httpContextAccessor) : IUserAdminPart
{
    public string Name => "Sessions";

    public async Task<UserAdminSection> LoadAsync(User user, CancellationToken cancellationToken)
    {
        var request = httpContextAccessor.HttpContext?.Request;
        var sessions = await sessionList.LoadAsync(user.Id, request?.HttpContext.User.SessionId(), cancellationToken);
        var returnUrl = request is null ? null : $"{request.PathBase}{request.Path}";
        return new UserAdminSection("Sessions", "/Pages/Sessions/_SessionTable.cshtml", new SessionTable(sessions, AdminOf: user.Email, ReturnUrl: returnUrl));
    }
}
