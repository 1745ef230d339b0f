using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Audit;

// For a statement that changes many audited rows at once (ExecuteUpdate, ExecuteDelete, raw SQL):
// runs it and records one "Bulk" entry with the rows it changed and why, in one transaction.
//   await auditBulk.RunAsync<Profile>(db, "Cleared the bios of spam accounts",
//       token => db.Profiles.Where(p => spam.Contains(p.UserId)).ExecuteUpdateAsync(s => s.SetProperty(p => p.Bio, ""), token),
//       cancellationToken);
public class AuditBulk(AuditWho who, TimeProvider time)
{
    private static readonly AsyncLocal<bool> Running = new();

    // True inside RunAsync: BulkChangeGuard lets the statement through.
    public static bool IsRunning => Running.Value;

    public async Task<int> RunAsync<TEntity>(DbContext context, string reason, Func<CancellationToken, Task<int>> statement, CancellationToken cancellationToken)
        where TEntity : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        // Joins the caller's transaction when there is one; otherwise the statement and its entry get their own.
        await using var transaction = context.Database.CurrentTransaction is null
            ? await context.Database.BeginTransactionAsync(cancellationToken)
            : null;
        int rows;
        Running.Value = true;
        try
        {
            rows = await statement(cancellationToken);
        }
        finally
        {
            Running.Value = false;
        }
        var entry = (await who.CurrentAsync(context, cancellationToken)).NewEntry(Guid.CreateVersion7(), time.GetUtcNow(), AuditActions.Bulk, typeof(TEntity).Name, "");
        entry.RowsAffected = rows;
        entry.Reason = AuditWho.Cut(reason.Trim(), AuditEntry.ReasonMaxLength);
        context.Add(entry);
        await context.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return rows;
    }
}
