using System.Text.Json;

namespace ModularUsersApp.Pages.Audit;

// An entry's Changes, read back for the pages: one line per property.
public record AuditChange(string Property, string? Old, string? New, bool HasOld, bool HasNew, bool ValueHidden)
{
    public static IReadOnlyList<AuditChange> Read(string? changes)
    {
        if (string.IsNullOrEmpty(changes))
        {
            return [];
        }
        using var json = JsonDocument.Parse(changes);
        var lines = new List<AuditChange>();
        foreach (var property in json.RootElement.EnumerateObject())
        {
            var value = property.Value;
            var hidden = value.TryGetProperty("changed", out _);
            var hasOld = value.TryGetProperty("old", out var old);
            var hasNew = value.TryGetProperty("new", out var @new);
            lines.Add(new AuditChange(property.Name, hasOld ? Text(old) : null, hasNew ? Text(@new) : null, hasOld, hasNew, hidden));
        }
        return lines;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };
}
