namespace ModularUsersApp.Pages.Accounts;

// Told of every request of an accepted session, after the checks of SessionCookie.Validator;
// the sessions module keeps each session's "last active" with it. It runs on every signed-in
// request, so it must cost nothing in the common case: no query, no DbContext.
// Register with services.AddSingleton<ISessionActivity, YourClass>().
public interface ISessionActivity
{
    // False when it found the session ended (by another instance, say): the request is then
    // treated as signed out.
    Task<bool> SeenAsync(SessionState session, HttpContext httpContext);
}
