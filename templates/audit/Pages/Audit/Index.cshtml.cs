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

    // Shows the entries after this one, newest first: the "next page" cursor.
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
            var page = await Filter.NewestFirstAsync(Filter.Apply(db.AuditEntries.AsNoTracking()), Before, cancellationToken);
            var pageSize = options.Value.PageSize;
            var rows = await page.Take(pageSize + 1).ToListAsync(cancellationToken);
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
        var entries = await Filter.NewestFirstAsync(Filter.Apply(db.AuditEntries.AsNoTracking()), before: null, cancellationToken);
        await foreach (var e in entries.AsAsyncEnumerable().WithCancellation(cancellationToken))
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
