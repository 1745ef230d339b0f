using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Audit;

// Who made a change, from where: the signed-in user of the request (their email as it is in the
// users database at the time), its IP, browser, path and trace id; or the command or background
// work that made it.
public class AuditWho(IHttpContextAccessor httpContextAccessor)
{
    // Read once per save, for all of its entries.
    public async Task<AuditActor> CurrentAsync(DbContext context, CancellationToken cancellationToken)
    {
        var http = httpContextAccessor.HttpContext;
        var actorId = http?.User.UserId();
        return new AuditActor(
            actorId,
            actorId is { } id ? Cut(await ActorEmailAsync(context, http!, id, cancellationToken), AuditEntry.EmailMaxLength) : null,
            http?.Connection.RemoteIpAddress?.ToString(),
            Cut(http?.Request.Headers.UserAgent.ToString(), AuditEntry.UserAgentMaxLength),
            Cut(http?.Request.Path.Value, AuditEntry.PathMaxLength),
            System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http?.TraceIdentifier,
            Cut(http is not null ? "request" : WorkSource.Current ?? "background", AuditEntry.SourceMaxLength)!);
    }

    // The email before this save: a user who changes their own address acts under the old one.
    private static async Task<string?> ActorEmailAsync(DbContext context, HttpContext http, Guid actorId, CancellationToken cancellationToken)
    {
        var tracked = context.ChangeTracker.Entries<User>().FirstOrDefault(e => e.Entity.Id == actorId);
        if (tracked is not null)
        {
            return tracked.State == EntityState.Added ? tracked.Entity.Email : tracked.OriginalValues.GetValue<string>(nameof(User.Email));
        }
        var users = context as UsersDbContext ?? http.RequestServices.GetRequiredService<UsersDbContext>();
        return await users.Users.AsNoTracking().Where(u => u.Id == actorId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
    }

    public static string? Cut(string? text, int maxLength) =>
        string.IsNullOrEmpty(text) ? text : text.Length <= maxLength ? text : text[..maxLength];
}

public record AuditActor(Guid? UserId, string? Email, string? ClientIp, string? UserAgent, string? Path, string? TraceId, string Source)
{
    public AuditEntry NewEntry(Guid changeSetId, DateTimeOffset now, string action, string entityType, string entityKey) => new()
    {
        OccurredAt = now,
        ChangeSetId = changeSetId,
        Action = action,
        EntityType = AuditWho.Cut(entityType, AuditEntry.TypeMaxLength)!,
        EntityKey = AuditWho.Cut(entityKey, AuditEntry.KeyMaxLength)!,
        ActorUserId = UserId,
        ActorEmail = Email,
        ClientIp = ClientIp,
        UserAgent = UserAgent,
        Path = Path,
        TraceId = TraceId,
        Source = Source,
    };
}
