using System.Text;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// NIST SP 800-63B-4 rules: a length range counted in Unicode code points, any characters
// (normalised to NFC so the same password typed on another keyboard still matches), no composition
// rules, and a check against passwords that attackers try first. Each rejection says why, so the
// user can pick a better one.
public class PasswordPolicy(IOptions<AccountsOptions> options)
{
    private readonly AccountsOptions _options = options.Value;

    public static string Normalize(string password) => password.Normalize(NormalizationForm.FormC);

    // Returns the reason the password is refused, or null when it is acceptable.
    public string? Check(string password, string email)
    {
        var normalized = Normalize(password);
        // Code points, as NIST counts them: an emoji is one character, not two UTF-16 chars.
        var length = normalized.EnumerateRunes().Count();
        if (length < _options.PasswordMinLength)
        {
            return $"Use at least {_options.PasswordMinLength} characters. A few unrelated words make a long password that is easy to remember.";
        }
        if (length > _options.PasswordMaxLength)
        {
            return $"Use at most {_options.PasswordMaxLength} characters.";
        }
        if (normalized.Any(char.IsControl))
        {
            return "The password contains control characters, which cannot be typed reliably.";
        }
        var folded = normalized.ToLowerInvariant();
        if (CommonPasswords.Contains(folded) || IsRepetitive(folded))
        {
            return "This password is one of the most commonly used and is tried first by attackers. Choose another.";
        }
        var localPart = email.Split('@')[0].Trim().ToLowerInvariant();
        if (localPart.Length >= 4 && folded.Contains(localPart, StringComparison.Ordinal))
        {
            return "The password must not contain your email address.";
        }
        return null;
    }

    // "aaaaaaaaaaaa", "abcabcabcabc", "sunshinesunshine": one unit repeated.
    private static bool IsRepetitive(string password)
    {
        for (var unit = 1; unit <= password.Length / 2; unit++)
        {
            if (password.Length % unit != 0)
            {
                continue;
            }
            var first = password.AsSpan(0, unit);
            var repeated = true;
            for (var i = unit; i < password.Length && repeated; i += unit)
            {
                repeated = password.AsSpan(i, unit).SequenceEqual(first);
            }
            if (repeated)
            {
                return true;
            }
        }
        return false;
    }
}

public static class PasswordPolicyErrors
{
    // For a form shown again because of other errors: the password field gets the policy's reason
    // too, so the user sees every error in one round. A field with an error of its own (empty, too
    // long) keeps only that one.
    public static void AddPasswordPolicyError(this ModelStateDictionary modelState, string key, PasswordPolicy policy, string? password, string? email)
    {
        if (modelState.GetFieldValidationState(key) == ModelValidationState.Valid && policy.Check(password ?? "", email ?? "") is { } reason)
        {
            modelState.AddModelError(key, reason);
        }
    }
}
