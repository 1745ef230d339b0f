using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// The app stopped at start-up on purpose, for a reason its message names together with the fix
// (a setting, a migration, a missing page). The message is all that is printed: a stack trace
// would only bury it.
public class StartupRefusedException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    public override string? StackTrace => null;

    public override string ToString() => Message;

    // Without this, .NET would print the exception again, stack trace and all, as unhandled, and
    // end the process with an abort signal; a script or a container runtime gets exit code 1
    // instead. A refusal is only thrown at start-up, where the host has logged its message
    // ("Hosting failed to start"); settings that fail their checks (OptionsValidationException)
    // can also fail later, so their message is written here.
    public static void ExitQuietly(object? sender, UnhandledExceptionEventArgs e)
    {
        if (e.ExceptionObject is OptionsValidationException invalid)
        {
            Console.Error.WriteLine(invalid.Message);
        }
        if (e.ExceptionObject is StartupRefusedException or OptionsValidationException)
        {
            Environment.Exit(1);
        }
    }
}
