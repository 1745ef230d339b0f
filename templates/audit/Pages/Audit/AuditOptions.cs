using System.ComponentModel.DataAnnotations;

namespace ModularUsersApp.Pages.Audit;

// The "Audit" section of appsettings.json.
public class AuditOptions
{
    public const string Section = "Audit";

    // Entries older than this are deleted by the daily purge (and `dotnet run -- purgeaudit`).
    [Range(1, 36500)]
    public int RetentionDays { get; set; } = 365;

    [Range(10, 500)]
    public int PageSize { get; set; } = 50;
}
