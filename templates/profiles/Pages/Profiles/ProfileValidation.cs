using System.ComponentModel.DataAnnotations;

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
