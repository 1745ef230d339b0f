using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace ModularUsersApp.Pages.Accounts;

// The From and To dates of the admin pages' filters (sign-in events, changes to data): days in UTC,
// both ends included.
public static class UtcDays
{
    // Wide enough for any real record, narrow enough that every day converts to a time the
    // database can compare.
    public static readonly DateOnly Earliest = new(1970, 1, 1);
    public static readonly DateOnly Latest = new(2999, 12, 31);

    public static IEnumerable<ValidationResult> Validate(DateOnly? from, DateOnly? to, string fromName, string toName)
    {
        foreach (var (day, name) in new[] { (from, fromName), (to, toName) })
        {
            if (day < Earliest || day > Latest)
            {
                yield return new ValidationResult($"Enter dates between {Format(Earliest)} and {Format(Latest)}.", [name]);
            }
        }
        if (from > to)
        {
            yield return new ValidationResult("The start date is after the end date.", [fromName, toName]);
        }
    }

    // The first moment of the day.
    public static DateTime Start(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    // The first moment after the day, for "before the end of To".
    public static DateTime End(DateOnly day) => Start(day.AddDays(1));

    // As the date inputs and the query string write it.
    public static string? Format(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
