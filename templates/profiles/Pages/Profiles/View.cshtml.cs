using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Profiles;

// The public page of a profile whose user chose a handle, only when Profiles:PublicProfiles is
// true. Never shows the email.
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
        // Only a handle the user chose: never an id or a name, so an email's local part finds nothing.
        var normalized = ProfileHandleAttribute.Normalize(handle);
        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.Handle == normalized, cancellationToken);
        if (profile is null)
        {
            return NotFound();
        }
        Profile = profile;
        return Page();
    }
}
