using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Profiles;

// Creates the profile with the account (in the same save), and heals users who have none:
// accounts made before this module was added, or while its Program.cs line was missing.
public class UserProfiles(UsersDbContext db, TimeProvider time) : IUserEvents
{
    public Task RegisteredAsync(User user, CancellationToken cancellationToken)
    {
        db.Profiles.Add(NewProfile(user));
        return Task.CompletedTask;
    }

    public async Task<Profile> GetOrCreateAsync(User user, CancellationToken cancellationToken)
    {
        if (await db.Profiles.SingleOrDefaultAsync(p => p.UserId == user.Id, cancellationToken) is { } existing)
        {
            return existing;
        }
        var profile = NewProfile(user);
        db.Profiles.Add(profile);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return profile;
        }
        catch (DbUpdateException)
        {
            // Another request created it first (two tabs opened at once): use that one.
            db.ChangeTracker.Clear();
            return await db.Profiles.SingleAsync(p => p.UserId == user.Id, cancellationToken);
        }
    }

    private Profile NewProfile(User user)
    {
        var now = time.GetUtcNow();
        return new Profile
        {
            UserId = user.Id,
            DisplayName = Profile.DefaultDisplayName(user.Email),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}

// Names of this module's events (IUserEvents.ModuleEventAsync), as the logs module records them.
public static class ProfileEvents
{
    public const string Updated = "ProfileUpdated";
}
