using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ModularUsersApp.Pages.Audit;

// ExecuteUpdate, ExecuteDelete and raw SQL write rows without SaveChanges, so the trail would
// never see them. Such a statement on an audited table must run inside AuditBulk.RunAsync (one
// "Bulk" entry says what it did and why), unless it sets only columns the trail does not record
// (the sign-in lockout counters). Otherwise: an exception in Development, where it is found
// before release, and a warning in the log in Production, where the statement still runs.
public partial class BulkChangeGuard(IHostEnvironment environment, ILogger<BulkChangeGuard> logger) : DbCommandInterceptor
{
    private static readonly ConcurrentDictionary<IModel, IReadOnlyDictionary<string, AuditedType>> AuditedTables = new();

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Check(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(command, eventData);
        return ValueTask.FromResult(result);
    }

    private void Check(DbCommand command, CommandEventData eventData)
    {
        if (eventData.CommandSource is not (CommandSource.ExecuteUpdate or CommandSource.ExecuteDelete or CommandSource.ExecuteSqlRaw)
            || AuditBulk.IsRunning
            || eventData.Context is not { } context)
        {
            return;
        }
        var tables = AuditedTables.GetOrAdd(context.Model, ReadAuditedTables);
        if (tables.Count == 0 || Unrecorded(command.CommandText, tables) is not { } table)
        {
            return;
        }
        var message = $"A bulk statement ({eventData.CommandSource}) changes the audited table {table} outside AuditBulk.RunAsync, so the audit trail would not show it. "
            + "Run it through AuditBulk.RunAsync with a reason (Pages/Audit/AuditBulk.cs), or save the change through the DbContext.";
        if (environment.IsDevelopment())
        {
            throw new InvalidOperationException(message);
        }
        Log.UnrecordedBulkChange(logger, message);
    }

    // The audited table a statement writes to, when it writes a column the trail records; null otherwise.
    private static string? Unrecorded(string sql, IReadOnlyDictionary<string, AuditedType> tables)
    {
        foreach (Match statement in WriteStatement().Matches(sql))
        {
            var text = statement.Value;
            var named = Identifiers(text).Where(tables.ContainsKey).Distinct().ToList();
            if (named.Count == 0)
            {
                continue;
            }
            if (!text.TrimStart().StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase))
            {
                return named[0];
            }
            // An UPDATE: only the columns it sets count.
            var set = SetClause().Match(text);
            if (!set.Success)
            {
                return named[0];
            }
            var columns = Assigned().Matches(set.Groups["set"].Value).Select(m => m.Groups["name"].Value).ToList();
            foreach (var table in named)
            {
                if (columns.Count == 0 || columns.Any(tables[table].IsAuditedColumn))
                {
                    return table;
                }
            }
        }
        return null;
    }

    private static IEnumerable<string> Identifiers(string text) =>
        Identifier().Matches(text).Select(m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["bare"].Value);

    private static IReadOnlyDictionary<string, AuditedType> ReadAuditedTables(IModel model)
    {
        var tables = new Dictionary<string, AuditedType>(StringComparer.OrdinalIgnoreCase);
        foreach (var entityType in model.GetEntityTypes())
        {
            if (AuditedModel.Of(entityType) is { } audited && entityType.GetTableName() is { } table)
            {
                tables[table] = audited;
            }
        }
        return tables;
    }

    // From a writing keyword to the next semicolon (or the end).
    [GeneratedRegex(@"\b(UPDATE|DELETE|INSERT|MERGE|TRUNCATE)\b[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex WriteStatement();

    [GeneratedRegex(@"\bSET\b(?<set>.*?)(\bFROM\b|\bWHERE\b|\bRETURNING\b|\bOUTPUT\b|$)", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SetClause();

    // "Column" =, [Column] =, alias."Column" =, Column = (not ==, <=, >=, !=).
    [GeneratedRegex(@"[""\[]?(?<name>\w+)[""\]]?\s*=(?!=)")]
    private static partial Regex Assigned();

    [GeneratedRegex(@"""(?<quoted>[^""]+)""|\[(?<quoted>[^\]]+)\]|`(?<quoted>[^`]+)`|(?<bare>\b[A-Za-z_]\w*\b)")]
    private static partial Regex Identifier();
}
