using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;

namespace ModularUsersApp.Pages.Audit;

// /Audit, for admins: every recorded change, newest first, with filters, keyset paging ("older")
// and a CSV export of the current filter.
public class IndexModel(UsersDbContext db, IOptions<AuditOptions> options, TimeProvider time) : AdminPageModel
{
    [BindProperty(SupportsGet = true)]
    public AuditFilter Filter { get; set; } = new();

    // Shows entries older than this id: the "next page" cursor.
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public long? NextBefore { get; private set; }

    public IReadOnlyList<string> EntityTypes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        EntityTypes = AuditedTypes();
        if (ModelState.IsValid)
        {
            await Filter.ResolveActorAsync(db, cancellationToken);
            var filtered = Filter.Apply(db.AuditEntries.AsNoTracking());
            var page = Before is { } before ? filtered.Where(e => e.Id < before) : filtered;
            var pageSize = options.Value.PageSize;
            var rows = await page.OrderByDescending(e => e.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
            Entries = rows.Take(pageSize).ToList();
            NextBefore = rows.Count > pageSize ? Entries[^1].Id : null;
        }
        return Page();
    }

    // GET /Audit?handler=Export&Filter.Type=...: every entry of the filter, newest first, streamed.
    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest(ModelState);
        }
        await Filter.ResolveActorAsync(db, cancellationToken);
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{time.GetUtcNow():yyyyMMdd-HHmmss}.csv\"";
        await using var writer = new StreamWriter(Response.Body, Csv.Utf8WithBom);
        await writer.WriteAsync(Csv.Row("Id", "Time (UTC)", "Change set", "Change", "Data", "Key", "Changes", "Rows", "Reason",
            "Changed by (id)", "Changed by", "IP", "Browser", "Path", "Trace id", "Source"));
        var rows = 0;
        await foreach (var e in Filter.Apply(db.AuditEntries.AsNoTracking()).OrderByDescending(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Csv.Row(
                e.Id.ToString(CultureInfo.InvariantCulture), e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                e.ChangeSetId.ToString(), e.Action, e.EntityType, e.EntityKey, e.Changes,
                e.RowsAffected?.ToString(CultureInfo.InvariantCulture), e.Reason, e.ActorUserId?.ToString(), e.ActorEmail,
                e.ClientIp, e.UserAgent, e.Path, e.TraceId, e.Source));
            if (++rows % 1000 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
        return new EmptyResult();
    }

    // The audited entities of the users database, for the "Data" choice.
    private IReadOnlyList<string> AuditedTypes() =>
        db.Model.GetEntityTypes().Where(t => AuditedModel.Of(t) is not null).Select(t => t.ClrType.Name).Order().ToList();
}
