using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// The tokens of links sent by mail: 256 random bits, written in the link as 43 URL-safe
// characters (nothing to encode or decode wrongly), stored only as their SHA-256. Opening a link
// (GET, as mail scanners do) only looks the token up; the form's POST uses it, once.
public class EmailTokens(UsersDbContext db, TimeProvider time)
{
    private const int TokenLength = 43;

    // Returns the token for the link. The caller saves.
    public string Issue(User user, string purpose, string email, TimeSpan lifetime)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        db.EmailTokens.Add(new EmailToken
        {
            UserId = user.Id,
            Purpose = purpose,
            TokenHash = Hash(token),
            Email = email,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        return token;
    }

    // The unused, unexpired token for this purpose, with its user; null for anything else.
    public async Task<(EmailToken Token, User User)?> FindAsync(string? token, string purpose, CancellationToken cancellationToken)
    {
        if (token is not { Length: TokenLength } || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }
        var hash = Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        var found = await db.EmailTokens.AsNoTracking()
            .SingleOrDefaultAsync(t => t.TokenHash == hash && t.Purpose == purpose && t.UsedAt == null && t.ExpiresAt > now, cancellationToken);
        if (found is null || await db.Users.SingleOrDefaultAsync(u => u.Id == found.UserId, cancellationToken) is not { IsActive: true } user)
        {
            return null;
        }
        // A reset or confirmation link was sent to the account's address; if that has changed
        // since, the link is dead (a change of address links to the new one).
        if (purpose != TokenPurposes.ChangeEmail && User.NormalizeEmail(found.Email) != user.NormalizedEmail)
        {
            return null;
        }
        return (found, user);
    }

    // Marks the token used. Of two requests with the same link, on any instance, only one gets
    // true. Call it in the transaction of the change the link makes.
    public async Task<bool> UseAsync(EmailToken token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.EmailTokens.Where(t => t.Id == token.Id && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.UsedAt, now), cancellationToken) == 1;
    }

    // The user's unused links for these purposes stop working. Saved with the caller's change.
    public async Task RevokeAsync(Guid userId, string[] purposes, CancellationToken cancellationToken)
    {
        var unused = await db.EmailTokens.Where(t => t.UserId == userId && t.UsedAt == null && purposes.Contains(t.Purpose))
            .ToListAsync(cancellationToken);
        db.EmailTokens.RemoveRange(unused);
    }

    // When the user's last token for this purpose was made, if any.
    public async Task<DateTime?> LastIssuedAsync(Guid userId, string purpose, CancellationToken cancellationToken) =>
        await db.EmailTokens.Where(t => t.UserId == userId && t.Purpose == purpose)
            .MaxAsync(t => (DateTime?)t.CreatedAt, cancellationToken);

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
}
