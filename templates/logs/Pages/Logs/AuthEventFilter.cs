using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Logs;

// The admin page's filter, from the query string; also what the CSV export exports.
public class AuthEventFilter : IValidatableObject
{
    [StringLength(64)]
    [PlainText]
    [Display(Name = "Event")]
    public string? Type { get; set; }

    // "success", "failure" or empty for both.
    [RegularExpression("^(success|failure)?$")]
    public string? Status { get; set; }

    // A user id, or an email address (exact; ASCII letters in any case, as accounts matches them).
    [StringLength(AuthEvent.EmailMaxLength)]
    [PlainText]
    [Display(Name = "User or email")]
    public string? User { get; set; }

    [StringLength(45)]
    [PlainText]
    [Display(Name = "IP address")]
    public string? Ip { get; set; }

    // Dates in UTC; both ends included.
    [DataType(DataType.Date)]
    public DateOnly? From { get; set; }

    [DataType(DataType.Date)]
    public DateOnly? To { get; set; }

    // Words looked for in email, IP, reason, path, browser and type; at least 3 characters.
    [StringLength(100)]
    [PlainText]
    [Display(Name = "Search")]
    public string? Search { get; set; }

    // One request's events, by the trace id every module records (the audit module links here).
    [StringLength(AuthEvent.TraceIdMaxLength)]
    [PlainText]
    [Display(Name = "Request (trace id)")]
    public string? Trace { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The search index holds runs of 3 characters; a shorter term would read every event.
        if (SearchTerm is { } term && !LogSearch.CanUseIndex(term))
        {
            yield return new ValidationResult("Search for at least 3 characters.", [nameof(Search)]);
        }
        foreach (var result in UtcDays.Validate(From, To, nameof(From), nameof(To)))
        {
            yield return result;
        }
    }

    // The events of this filter: through the search index when the search is the filter that
    // narrows them most (no user, IP, request or date range, whose own indexes go first and leave
    // the search only their events to read).
    public async Task<IQueryable<AuthEvent>> ApplyAsync(UsersDbContext db, LogSearch search, CancellationToken cancellationToken)
    {
        var term = SearchTerm;
        if (term is not null &&
            string.IsNullOrWhiteSpace(User) && string.IsNullOrWhiteSpace(Ip) && string.IsNullOrWhiteSpace(Trace) && From is null && To is null &&
            await search.MatchingAsync(db, term, cancellationToken) is { } matching)
        {
            return Apply(matching.AsNoTracking(), term: null);
        }
        return Apply(db.AuthEvents.AsNoTracking(), term);
    }

    // Lower-cased, so the search ignores case on every database.
    private string? SearchTerm => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim().ToLowerInvariant();

    private IQueryable<AuthEvent> Apply(IQueryable<AuthEvent> events, string? term)
    {
        if (!string.IsNullOrWhiteSpace(Type))
        {
            events = events.Where(e => e.EventType == Type.Trim());
        }
        if (Status is "success" or "failure")
        {
            var succeeded = Status == "success";
            events = events.Where(e => e.Succeeded == succeeded);
        }
        if (!string.IsNullOrWhiteSpace(User))
        {
            if (Guid.TryParse(User, out var userId))
            {
                events = events.Where(e => e.UserId == userId);
            }
            else
            {
                var normalized = Accounts.User.NormalizeEmail(User);
                events = events.Where(e => e.NormalizedEmail == normalized);
            }
        }
        if (!string.IsNullOrWhiteSpace(Ip))
        {
            events = events.Where(e => e.ClientIp == Ip.Trim());
        }
        if (From is { } from)
        {
            var start = UtcDays.Start(from);
            events = events.Where(e => e.OccurredAt >= start);
        }
        if (To is { } to)
        {
            var end = UtcDays.End(to);
            events = events.Where(e => e.OccurredAt < end);
        }
        if (!string.IsNullOrWhiteSpace(Trace))
        {
            events = events.Where(e => e.TraceId == Trace.Trim());
        }
        if (term is not null)
        {
            events = LogSearch.Scan(events, term);
        }
        return events;
    }

    // A date range without a filter that picks few events (user, IP, request) is read newest first
    // by time, through the indexes that start with the time (or the type and time): newest first by
    // id would walk past every newer event before reaching a range months back.
    public bool GoesByTime =>
        (From is not null || To is not null) && string.IsNullOrWhiteSpace(User) && string.IsNullOrWhiteSpace(Ip) && string.IsNullOrWhiteSpace(Trace);

    // The events older than the one with id `before` (the last one of the previous page), newest first.
    public async Task<IQueryable<AuthEvent>> NewestFirstAsync(IQueryable<AuthEvent> events, long? before, CancellationToken cancellationToken)
    {
        if (!GoesByTime)
        {
            return (before is { } id ? events.Where(e => e.Id < id) : events).OrderByDescending(e => e.Id);
        }
        if (before is { } beforeId)
        {
            var at = await events.Where(e => e.Id == beforeId).Select(e => (DateTime?)e.OccurredAt).FirstOrDefaultAsync(cancellationToken);
            // The bound on OccurredAt alone lets the index start at the previous page's last event.
            events = at is { } time
                ? events.Where(e => e.OccurredAt <= time && (e.OccurredAt < time || e.Id < beforeId))
                : events.Where(e => e.Id < beforeId);
        }
        return events.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id);
    }

    public bool IsEmpty =>
        Type is null && Status is null && User is null && Ip is null && From is null && To is null && Search is null && Trace is null;

    // The query string of this filter, for links to the next page and to the export.
    public Dictionary<string, string?> RouteValues(string prefix) => new()
    {
        [prefix + nameof(Type)] = Type,
        [prefix + nameof(Status)] = Status,
        [prefix + nameof(User)] = User,
        [prefix + nameof(Ip)] = Ip,
        [prefix + nameof(From)] = UtcDays.Format(From),
        [prefix + nameof(To)] = UtcDays.Format(To),
        [prefix + nameof(Search)] = Search,
        [prefix + nameof(Trace)] = Trace,
    };
}
