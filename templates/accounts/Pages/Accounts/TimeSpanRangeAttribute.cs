using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace ModularUsersApp.Pages.Accounts;

// The allowed range of a TimeSpan setting, as [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
// would say it. That attribute converts its bounds on first use without a lock, so two threads
// checking the same settings at once can throw InvalidCastException (dotnet/runtime#1143; it
// failed a spec run where several apps start in one process); these bounds are parsed once, here.
[AttributeUsage(AttributeTargets.Property)]
public sealed class TimeSpanRangeAttribute(string minimum, string maximum)
    : ValidationAttribute("The field {0} must be between {1} and {2}.")
{
    public TimeSpan Minimum { get; } = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);

    public TimeSpan Maximum { get; } = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);

    public override bool IsValid(object? value) => value is not TimeSpan time || (time >= Minimum && time <= Maximum);

    public override string FormatErrorMessage(string name) =>
        string.Format(CultureInfo.CurrentCulture, ErrorMessageString, name, Minimum, Maximum);
}
