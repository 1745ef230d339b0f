using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModularUsersApp.Pages.Accounts;

// Which data an audit trail records, said where each entity is configured. Nothing here records
// anything: with the audit module (Pages/Audit) every save of an audited entity writes who changed
// what, in the same transaction; without it these marks are inert.
//   builder.Audited();                                 every property of the entity
//   builder.Property(p => p.Notes).NotAudited();      left out of the trail
//   builder.Property(p => p.ApiKey).AuditedAsChanged(); recorded as "changed", never its value
// Properties whose names end in Hash, Secret, Stamp or Token are recorded as "changed" unless
// marked otherwise.
public static class AuditedData
{
    public const string EntityAnnotation = "AuditedData:Entity";
    public const string PropertyAnnotation = "AuditedData:Property";
    public const string NotAuditedValue = "not audited";
    public const string ChangedOnlyValue = "changed only";
    public const string ValueAuditedValue = "value";

    public static EntityTypeBuilder<TEntity> Audited<TEntity>(this EntityTypeBuilder<TEntity> builder)
        where TEntity : class => builder.HasAnnotation(EntityAnnotation, true);

    public static PropertyBuilder<TProperty> NotAudited<TProperty>(this PropertyBuilder<TProperty> property) =>
        property.HasAnnotation(PropertyAnnotation, NotAuditedValue);

    public static PropertyBuilder<TProperty> AuditedAsChanged<TProperty>(this PropertyBuilder<TProperty> property) =>
        property.HasAnnotation(PropertyAnnotation, ChangedOnlyValue);

    // For a property whose name would hide its value (a "Token" that is not secret).
    public static PropertyBuilder<TProperty> AuditedWithValue<TProperty>(this PropertyBuilder<TProperty> property) =>
        property.HasAnnotation(PropertyAnnotation, ValueAuditedValue);
}

// What is running this code, for records that say where a change came from: a command
// (`dotnet run -- createsuperuser`) or background work names itself; a request is known from
// its HttpContext. Outside any of these the work is "background".
public static class WorkSource
{
    private static readonly AsyncLocal<string?> Name = new();

    public static string? Current => Name.Value;

    // using (WorkSource.Begin("command:createsuperuser")) { ... }
    public static IDisposable Begin(string name)
    {
        var outer = Name.Value;
        Name.Value = name;
        return new Restore(outer);
    }

    private sealed class Restore(string? outer) : IDisposable
    {
        public void Dispose() => Name.Value = outer;
    }
}
