using System.ComponentModel.DataAnnotations;

namespace ModularUsersApp.Pages.TwoFactor;

// Bound from the "TwoFactor" section of configuration, checked at start-up.
public class TwoFactorOptions
{
    public const string Section = "TwoFactor";

    // Shown in the authenticator app next to the account; defaults to the app's name.
    [StringLength(64)]
    public string? Issuer { get; set; }

    // Time steps of 30 s accepted before and after the current one, for clock drift (RFC 6238).
    [Range(0, 2)]
    public int AllowedDriftSteps { get; set; } = 1;
}
