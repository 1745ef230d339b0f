namespace ModularUsersApp.Pages.Accounts;

// A step the user must pass after the password and before the session starts, such as a
// two-factor code. Register with services.AddScoped<ISignInChallenge, YourChallenge>().
// The step's page reads the pending user with UserSignIn.GetPendingAsync() and finishes with
// UserSignIn.CompleteAsync(); until then the user holds only a short-lived partial cookie.
public interface ISignInChallenge
{
    // The page path of the step this user must pass (for example "/TwoFactor/Verify"), or null.
    Task<string?> GetStepPageAsync(User user, CancellationToken cancellationToken);
}
