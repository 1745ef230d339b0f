using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Logs;

// The admin's view of every account event: filters, newest first, keyset paging, counts per
// event type (up to LogsOptions.CountLimit events, all of them on request) and a CSV export of
// the current filter. Anyone else gets 403, and the attempt is
// itself recorded (so the role check is here, not in an [Authorize(Roles)] attribute).
[Authorize]
public class IndexModel(
    UsersDbContext db, UserEventPublisher events, RepeatedRefusals refusals, LogSearch search, IOptions<LogsOptions> options, TimeProvider time)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public AuthEventFilter Filter { get; set; } = new();

    // Shows events older than this id: the "next page" cursor.
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<AuthEvent> Events { get; private set; } = [];

    // Counts every matching event per type, however many: asked for by a link when the filter
    // matches more than LogsOptions.CountLimit events.
    [BindProperty(SupportsGet = true)]
    public bool CountAll { get; set; }

    public long? NextBefore { get; private set; }

    public IReadOnlyList<TypeCount> Counts { get; private set; } = [];

    // More events match than the page counts unasked (Counts is then empty).
    public bool CountsCapped { get; private set; }

    public int CountLimit => options.Value.CountLimit;

    public IReadOnlyList<string> EventTypes { get; private set; } = [];

    public record TypeCount(string EventType, int Count);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!User.IsInRole(Roles.Admin))
        {
            return await DenyAsync(cancellationToken);
        }
        if (Filter.IsEmpty && Before is null && Request.Query.Count == 0)
        {
            Filter.From = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(1 - options.Value.DefaultDays);
        }
        if (ModelState.IsValid)
        {
            // So that the rows read show every repeat counted on this instance so far.
            await refusals.TryWriteAsync(cancellationToken);
            await LoadAsync(cancellationToken);
        }
        return Page();
    }

    // GET /Logs?handler=Export&Filter.Type=...: every event of the filter, newest first, streamed.
    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        if (!User.IsInRole(Roles.Admin))
        {
            return await DenyAsync(cancellationToken);
        }
        if (!ModelState.IsValid)
        {
            return BadRequest(ModelState);
        }
        if (await db.Users.FindSignedInAsync(User, cancellationToken) is { } admin)
        {
            await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent(AuthEventTypes.LogsExported, admin), cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
        }
        await refusals.TryWriteAsync(cancellationToken);

        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"auth-events-{time.GetUtcNow():yyyyMMdd-HHmmss}.csv\"";
        await using var writer = new StreamWriter(Response.Body, Csv.Utf8WithBom);
        await writer.WriteAsync(Csv.Row("Id", "Time (UTC)", "Event", "Status", "Reason", "Count", "User id", "Email", "IP", "Browser", "Path", "Trace id"));
        var query = await Filter.NewestFirstAsync(await Filter.ApplyAsync(db, search, cancellationToken), before: null, cancellationToken);
        var rows = 0;
        await foreach (var e in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Csv.Row(
                e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), e.OccurredAt.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                e.EventType, e.Succeeded ? "success" : "failure", e.Reason,
                e.Times.ToString(System.Globalization.CultureInfo.InvariantCulture), e.UserId?.ToString(), e.Email, e.ClientIp,
                e.UserAgent, e.Path, e.TraceId));
            if (++rows % 1000 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
        return new EmptyResult();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var filtered = await Filter.ApplyAsync(db, search, cancellationToken);
        var pageSize = options.Value.PageSize;
        var rows = await (await Filter.NewestFirstAsync(filtered, Before, cancellationToken)).Take(pageSize + 1).ToListAsync(cancellationToken);
        Events = rows.Take(pageSize).ToList();
        NextBefore = rows.Count > pageSize ? Events[^1].Id : null;
        // Repeated refusals count as many times as they happened, not as one row.
        List<TypeCount> counts;
        if (Before is null && NextBefore is null && Events.Count <= CountLimit)
        {
            // The first page holds every matching event: counted from it, without reading them again.
            counts = Events.GroupBy(e => e.EventType).Select(g => new TypeCount(g.Key, g.Sum(e => e.Times))).ToList();
            CountsCapped = false;
        }
        else
        {
            // Unless asked for all, only the newest CountLimit + 1 events are counted: the one
            // beyond the limit tells that there are more.
            var counted = CountAll ? filtered : (await Filter.NewestFirstAsync(filtered, before: null, cancellationToken)).Take(CountLimit + 1);
            var perType = await counted.GroupBy(e => e.EventType)
                .Select(g => new { EventType = g.Key, Rows = g.Count(), Count = g.Sum(e => e.RepeatCount + 1) })
                .ToListAsync(cancellationToken);
            CountsCapped = !CountAll && perType.Sum(c => c.Rows) > CountLimit;
            counts = perType.Select(c => new TypeCount(c.EventType, c.Count)).ToList();
        }
        Counts = CountsCapped ? [] : counts.OrderByDescending(c => c.Count).ToList();
        EventTypes = AuthEventTypes.All.Concat(counts.Select(c => c.EventType)).Distinct().Order().ToList();
    }

    private async Task<IActionResult> DenyAsync(CancellationToken cancellationToken)
    {
        if (await db.Users.FindSignedInAsync(User, cancellationToken) is { } user)
        {
            await events.PublishAsync(handler => handler.ModuleEventAsync(
                new ModuleEvent(AuthEventTypes.LogsAccessDenied, user, Succeeded: false), cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
        }
        return Forbid();
    }

}
