using System.ComponentModel.DataAnnotations;

namespace ModularUsersApp.Pages.TwoFactor;

// Six digits, as an authenticator app shows them ("123456" or "123 456").
public sealed class TotpCodeAttribute() : RegularExpressionAttribute(@"^\s*\d{3}\s?\d{3}\s*$")
{
    public override string FormatErrorMessage(string name) => "Enter the 6 digits your authenticator app shows.";
}
