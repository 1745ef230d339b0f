using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Audit;

// The /Audit page's filter, from the query string; also what the CSV export exports. Each field
// narrows through an index that ends in Id, so every filter pages newest first cheaply; dates
// alone narrow through the time index, so those pages go by time (NewestFirst).
public class AuditFilter : IValidatableObject
{
    [StringLength(AuditEntry.TypeMaxLength)]
    [PlainText]
    [Display(Name = "Data")]
    public string? Type { get; set; }

    // The row's key as the entries show it (a user id, "userId/Admin" for a role).
    [StringLength(AuditEntry.KeyMaxLength)]
    [PlainText]
    [Display(Name = "Key")]
    public string? Key { get; set; }

    // Who made the change: a user id, or an email: the account that has it now (ASCII letters in
    // any case), else the entries recorded under exactly that email.
    [StringLength(AuditEntry.EmailMaxLength)]
    [PlainText]
    [Display(Name = "Changed by")]
    public string? Actor { get; set; }

    [Display(Name = "Change")]
    public string? Action { get; set; }

    [DataType(DataType.Date)]
    public DateOnly? From { get; set; }

    [DataType(DataType.Date)]
    public DateOnly? To { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Action) && !AuditActions.All.Contains(Action))
        {
            yield return new ValidationResult("Choose one of the listed changes.", [nameof(Action)]);
        }
        foreach (var result in UtcDays.Validate(From, To, nameof(From), nameof(To)))
        {
            yield return result;
        }
    }

    private Guid? _actorId;

    // An actor given by email is found by the account that has it now (their entries under an
    // older address included); an address no account has is matched as the entries recorded it.
    public async Task ResolveActorAsync(UsersDbContext db, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Actor))
        {
            return;
        }
        if (Guid.TryParse(Actor, out var actorId))
        {
            _actorId = actorId;
            return;
        }
        var normalized = User.NormalizeEmail(Actor);
        _actorId = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken);
    }

    // After ResolveActorAsync.
    public IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> entries)
    {
        if (!string.IsNullOrWhiteSpace(Type))
        {
            entries = entries.Where(e => e.EntityType == Type.Trim());
        }
        if (!string.IsNullOrWhiteSpace(Key))
        {
            entries = entries.Where(e => e.EntityKey == Key.Trim());
        }
        if (!string.IsNullOrWhiteSpace(Actor))
        {
            entries = _actorId is { } actorId
                ? entries.Where(e => e.ActorUserId == actorId)
                : entries.Where(e => e.ActorEmail == Actor.Trim());
        }
        if (!string.IsNullOrEmpty(Action))
        {
            entries = entries.Where(e => e.Action == Action);
        }
        if (From is { } from)
        {
            var start = new DateTimeOffset(UtcDays.Start(from));
            entries = entries.Where(e => e.OccurredAt >= start);
        }
        if (To is { } to)
        {
            var end = new DateTimeOffset(UtcDays.End(to));
            entries = entries.Where(e => e.OccurredAt < end);
        }
        return entries;
    }

    // Dates without a key or an actor: newest first by time, which the OccurredAt index gives in
    // order. By Id, the database would read the whole range to sort it (SQLite) or walk every
    // newer entry to reach it (PostgreSQL).
    public bool GoesByTime => (From is not null || To is not null) && string.IsNullOrWhiteSpace(Key) && string.IsNullOrWhiteSpace(Actor);

    // The entries older than the one with id `before` (the last one of the previous page), newest first.
    public async Task<IQueryable<AuditEntry>> NewestFirstAsync(IQueryable<AuditEntry> entries, long? before, CancellationToken cancellationToken)
    {
        if (!GoesByTime)
        {
            return (before is { } id ? entries.Where(e => e.Id < id) : entries).OrderByDescending(e => e.Id);
        }
        if (before is { } beforeId)
        {
            var at = await entries.Where(e => e.Id == beforeId).Select(e => (DateTimeOffset?)e.OccurredAt).FirstOrDefaultAsync(cancellationToken);
            // The bound on OccurredAt alone lets the index start at the previous page's last entry.
            entries = at is { } time
                ? entries.Where(e => e.OccurredAt <= time && (e.OccurredAt < time || e.Id < beforeId))
                : entries.Where(e => e.Id < beforeId);
        }
        return entries.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id);
    }

    public Dictionary<string, string?> RouteValues(string prefix) => new()
    {
        [prefix + nameof(Type)] = Type,
        [prefix + nameof(Key)] = Key,
        [prefix + nameof(Actor)] = Actor,
        [prefix + nameof(Action)] = Action,
        [prefix + nameof(From)] = UtcDays.Format(From),
        [prefix + nameof(To)] = UtcDays.Format(To),
    };
}
