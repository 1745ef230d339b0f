using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace ModularUsersApp.Pages.Profiles;

// An absolute http:// or https:// address: anything else (javascript:, data:, relative paths)
// would be unsafe or broken as a link.
[AttributeUsage(AttributeTargets.Property)]
public sealed class WebsiteUrlAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string text || string.IsNullOrWhiteSpace(text)
        || Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0
            ? ValidationResult.Success
            : new ValidationResult("Enter a full web address starting with https:// or http://.", [validationContext.MemberName!]);
}

// An IANA time zone id such as "Europe/Paris" or "America/New_York".
[AttributeUsage(AttributeTargets.Property)]
public sealed class TimeZoneIdAttribute : ValidationAttribute
{
    public static bool IsKnown(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId && zone.Id == id;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string text || string.IsNullOrWhiteSpace(text) || IsKnown(text.Trim())
            ? ValidationResult.Success
            : new ValidationResult("Choose a time zone from the list, such as Europe/Paris.", [validationContext.MemberName!]);
}

// The address of a public profile page, /Profiles/{handle}: 3 to 30 letters a to z, digits and
// hyphens, compared and stored in lower case. Reserved words are refused so that nobody poses as
// the site and the module's own pages keep their addresses.
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class ProfileHandleAttribute : ValidationAttribute
{
    public const string RulesMessage = "Use 3 to 30 letters a to z, digits and hyphens, starting and ending with a letter or digit.";
    public const string ReservedMessage = "This handle is reserved. Choose another.";

    // Add your product's and company's names, and any word a visitor could take for the site itself.
    private static readonly FrozenSet<string> Reserved = new[]
    {
        "about", "account", "accounts", "admin", "administrator", "api", "edit", "help", "index",
        "login", "logout", "logs", "moderator", "new", "null", "official", "owner", "profile",
        "profiles", "register", "root", "security", "settings", "signin", "signout", "staff",
        "support", "system", "twofactor", "undefined", "view", "webmaster", "www",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static string Normalize(string handle) => handle.Trim().ToLowerInvariant();

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not string text || string.IsNullOrWhiteSpace(text))
        {
            return ValidationResult.Success;
        }
        if (!Pattern().IsMatch(text.Trim()))
        {
            return new ValidationResult(RulesMessage, [validationContext.MemberName!]);
        }
        return Reserved.Contains(Normalize(text))
            ? new ValidationResult(ReservedMessage, [validationContext.MemberName!])
            : ValidationResult.Success;
    }

    // ASCII only, checked before lower-casing, so that look-alike letters from other scripts
    // cannot make a second "admin".
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]{1,28}[A-Za-z0-9]\z")]
    private static partial Regex Pattern();
}
