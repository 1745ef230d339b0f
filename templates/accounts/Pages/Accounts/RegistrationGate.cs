namespace ModularUsersApp.Pages.Accounts;

// Something a new account must do before its first sign-in, such as confirming its email address
// by a link (the email module). Register with services.AddScoped<IRegistrationGate, YourGate>().
// Only the registration page asks gates; accounts made by commands (createsuperuser) pass.
public interface IRegistrationGate
{
    // Called before the new account is saved: rows the gate adds to UsersDbContext are saved with
    // it. Returns the local URL to show instead of signing the account in, or null to sign in.
    Task<string?> HoldAsync(User user, CancellationToken cancellationToken);

    // Someone registered with an address that an account already has. Returns the URL HoldAsync
    // would have returned, so that the answer does not tell the address is taken (the gate tells
    // the owner instead, and saves), or null for the "already exists" message.
    Task<string?> EmailTakenAsync(User owner, CancellationToken cancellationToken);
}
