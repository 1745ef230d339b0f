using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ModularUsersApp.Pages.Audit;

// Adds an AuditEntry for each audited row a save adds, changes or deletes, to that same save:
// the entries are written in its transaction, or not at all. A save that fails takes its entries
// back, so a retry does not record them twice.
public class AuditRecorder(AuditWho who, TimeProvider time) : SaveChangesInterceptor
{
    // Longer values are cut, with a marker saying how long they were.
    public const int MaxValueLength = 2000;

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            await AddEntriesAsync(context, cancellationToken);
        }
        return result;
    }

    // The entries need the actor's email, read from the database: only SaveChangesAsync can wait
    // for it. Saves without audited rows (the Data Protection key store's) go through.
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context)
        {
            context.ChangeTracker.DetectChanges();
            if (context.ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && AuditedModel.Of(e.Metadata) is not null))
            {
                throw new InvalidOperationException($"{context.GetType().Name}.SaveChanges() would save audited rows: use SaveChangesAsync.");
            }
        }
        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            foreach (var entry in context.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).ToList())
            {
                entry.State = EntityState.Detached;
            }
        }
        return Task.CompletedTask;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        // Written: the context has no more use for them.
        if (eventData.Context is { } context)
        {
            foreach (var entry in context.ChangeTracker.Entries<AuditEntry>().ToList())
            {
                entry.State = EntityState.Detached;
            }
        }
        return ValueTask.FromResult(result);
    }

    private async Task AddEntriesAsync(DbContext context, CancellationToken cancellationToken)
    {
        context.ChangeTracker.DetectChanges();
        var changes = new List<(EntityEntry Entry, AuditedType Type)>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && AuditedModel.Of(entry.Metadata) is { } audited)
            {
                changes.Add((entry, audited));
            }
        }
        if (changes.Count == 0)
        {
            return;
        }
        if (context.Model.FindEntityType(typeof(AuditEntry)) is null)
        {
            throw new InvalidOperationException(
                $"{context.GetType().Name} saves audited entities but has no AuditEntries table: register it with options.AddAuditTrail(services, onUsersDatabase: ...) (see Pages/Audit/AuditModule.cs).");
        }
        var entries = new List<AuditEntry>();
        var changeSetId = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        AuditActor? actor = null;
        foreach (var (entry, audited) in changes)
        {
            var values = Describe(entry, audited);
            if (values is null)
            {
                continue;
            }
            actor ??= await who.CurrentAsync(context, cancellationToken);
            var auditEntry = actor.NewEntry(changeSetId, now, ActionOf(entry.State), entry.Metadata.ClrType.Name, KeyOf(entry));
            auditEntry.Changes = values;
            entries.Add(auditEntry);
        }
        context.AddRange(entries);
    }

    private static string ActionOf(EntityState state) => state switch
    {
        EntityState.Added => AuditActions.Added,
        EntityState.Deleted => AuditActions.Deleted,
        _ => AuditActions.Modified,
    };

    // The primary key's values, joined with "/" for a composite key.
    public static string KeyOf(EntityEntry entry) =>
        string.Join('/', entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Text(entry.Property(p.Name).CurrentValue)));

    // {"Email":{"old":"a@example.com","new":"b@example.com"},"PasswordHash":{"changed":true}};
    // null when a modified row changed nothing the trail records.
    private static string? Describe(EntityEntry entry, AuditedType audited)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            var written = 0;
            foreach (var property in audited.Properties)
            {
                var value = entry.Property(property.Property.Name);
                if (entry.State == EntityState.Modified && (!value.IsModified || Equals(value.OriginalValue, value.CurrentValue)))
                {
                    continue;
                }
                json.WriteStartObject(property.Property.Name);
                if (property.ChangedOnly)
                {
                    json.WriteBoolean("changed", true);
                }
                else
                {
                    if (entry.State != EntityState.Added)
                    {
                        WriteValue(json, "old", value.OriginalValue);
                    }
                    if (entry.State != EntityState.Deleted)
                    {
                        WriteValue(json, "new", value.CurrentValue);
                    }
                }
                json.WriteEndObject();
                written++;
            }
            json.WriteEndObject();
            if (written == 0 && entry.State == EntityState.Modified)
            {
                return null;
            }
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(name);
                break;
            case bool flag:
                json.WriteBoolean(name, flag);
                break;
            case int or long or short or byte:
                json.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case decimal number:
                json.WriteNumber(name, number);
                break;
            case double or float when double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)):
                json.WriteNumber(name, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteString(name, Text(value));
                break;
        }
    }

    private static string Text(object? value)
    {
        var text = value switch
        {
            null => "",
            byte[] bytes => $"<{bytes.Length} bytes>",
            DateTimeOffset moment => moment.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            DateTime moment => moment.ToString("O", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.Length <= MaxValueLength ? text : $"{text[..MaxValueLength]}… [cut: {text.Length} characters]";
    }
}
