namespace ModularUsersApp.Pages.Accounts.Users;

// A section another module adds to an admin's page of one user (/Accounts/Users/Details), the way
// ISignInChallenge adds a sign-in step: two-factor adds its state and "Reset two-factor", logs
// the user's recent events, and so on. Register with services.AddScoped<IUserAdminPart, YourPart>().
// Deleting the module's folder and its line removes the section.
public interface IUserAdminPart
{
    // Names the section in forms that post to the user page's Part handler ("TwoFactor").
    string Name { get; }

    // The section for this user: its partial view (a path, "/Pages/TwoFactor/_UserAdminPart.cshtml")
    // and the model that view takes.
    Task<UserAdminSection> LoadAsync(User user, CancellationToken cancellationToken);

    // A button of the section posted to the user page (handler "Part", fields part, action and
    // argument), after the page checked that an admin sent it and, for an admin's account, their
    // password (UserAdminPassword). by: the acting admin's email. Null for an action this part
    // does not know.
    Task<UserAdminResult?> RunAsync(User user, string action, string? argument, string by, CancellationToken cancellationToken) =>
        Task.FromResult<UserAdminResult?>(null);
}

public record UserAdminSection(string Title, string PartialView, object Model);

// What an action did: Done, the message shown after it; or refused, the reason shown on the page.
public record UserAdminResult(bool Done, string Message)
{
    public static UserAdminResult Success(string message) => new(true, message);

    public static UserAdminResult Refused(string message) => new(false, message);
}

// Granting Admin, and every action on the account of an admin, asks for the acting admin's
// password again: a session left open is not enough to take over or lock out another admin.
// A section's form for such an account includes the field:
// <partial name="/Pages/Accounts/Users/_ConfirmPassword.cshtml" model="@("yourmodule-password")" />
public static class UserAdminPassword
{
    public static bool IsAskedFor(User user) => user.IsInRole(Roles.Admin);
}

// A filter another module adds to the user list (two-factor: "Two-factor on").
// Register with services.AddScoped<IUserListFilter, YourFilter>().
public interface IUserListFilter
{
    // The value of the list's "show" field, unique among filters ("twofactor").
    string Value { get; }

    string Label { get; }

    IQueryable<User> Apply(IQueryable<User> users);
}
