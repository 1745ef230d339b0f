using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Profiles;

// The public page of a profile, only when Profiles:PublicProfiles is true. Never shows the email.
[AllowAnonymous]
public class ViewModel(UsersDbContext db, IOptions<ProfilesOptions> options) : PageModel
{
    public Profile Profile { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string handle, CancellationToken cancellationToken)
    {
        if (!options.Value.PublicProfiles)
        {
            return NotFound();
        }
        var profile = Guid.TryParse(handle, out var userId)
            ? await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken)
            : null;
        if (profile is null)
        {
            // Display names are not unique: a name shared by several users finds none of them.
            var named = await db.Profiles.AsNoTracking().Where(p => p.DisplayName == handle).Take(2).ToListAsync(cancellationToken);
            profile = named.Count == 1 ? named[0] : null;
        }
        if (profile is null)
        {
            return NotFound();
        }
        Profile = profile;
        return Page();
    }
}
