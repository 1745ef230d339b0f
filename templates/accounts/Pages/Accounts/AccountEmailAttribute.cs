using System.ComponentModel.DataAnnotations;

namespace ModularUsersApp.Pages.Accounts;

// The rules an account email must follow, on forms and in createsuperuser.
[AttributeUsage(AttributeTargets.Property)]
public sealed class AccountEmailAttribute : ValidationAttribute
{
    public static string? Check(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "Enter an email address.";
        }
        if (email.Length > AccountLimits.EmailMaxLength)
        {
            return $"An email address has at most {AccountLimits.EmailMaxLength} characters.";
        }
        var trimmed = email.Trim();
        // Invisible characters would let a second account look like the first one.
        if (trimmed.Any(char.IsWhiteSpace) || !PlainTextAttribute.IsPlainText(trimmed))
        {
            return "The email address contains spaces or characters that are not allowed.";
        }
        return new EmailAddressAttribute().IsValid(trimmed) ? null : "Enter a valid email address.";
    }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        Check(value as string) is { } error ? new ValidationResult(error, [validationContext.MemberName!]) : ValidationResult.Success;
}
