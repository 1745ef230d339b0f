using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Audit;

// How the marks of AuditedData read for one entity type: whether it is audited, and for each
// property whether the trail keeps its value, only that it changed, or nothing. Read once per type.
public static class AuditedModel
{
    private static readonly ConcurrentDictionary<IEntityType, AuditedType?> Types = new();

    // Null when the entity is not audited.
    public static AuditedType? Of(IEntityType entityType) => Types.GetOrAdd(entityType, Read);

    private static AuditedType? Read(IEntityType entityType)
    {
        if (entityType.FindAnnotation(AuditedData.EntityAnnotation)?.Value is not true)
        {
            return null;
        }
        var properties = new List<AuditedProperty>();
        foreach (var property in entityType.GetProperties())
        {
            var mark = property.FindAnnotation(AuditedData.PropertyAnnotation)?.Value as string;
            if (mark == AuditedData.NotAuditedValue)
            {
                continue;
            }
            var changedOnly = mark == AuditedData.ChangedOnlyValue || (mark is null && HidesItsValue(property.Name));
            properties.Add(new AuditedProperty(property, changedOnly));
        }
        return new AuditedType(entityType, properties);
    }

    // Names that hold secrets, or values as good as secrets: recorded as "changed" by default.
    private static bool HidesItsValue(string name) =>
        name.EndsWith("Hash", StringComparison.Ordinal)
        || name.EndsWith("Secret", StringComparison.Ordinal)
        || name.EndsWith("Stamp", StringComparison.Ordinal)
        || name.EndsWith("Token", StringComparison.Ordinal);
}

public sealed record AuditedType(IEntityType EntityType, IReadOnlyList<AuditedProperty> Properties)
{
    // The columns the trail cares about, by table: a bulk statement that sets only other columns
    // changes nothing it records.
    public bool IsAuditedColumn(string column) =>
        Properties.Any(p => string.Equals(p.Property.GetColumnName(), column, StringComparison.OrdinalIgnoreCase));
}

public sealed record AuditedProperty(IProperty Property, bool ChangedOnly);
