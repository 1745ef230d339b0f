using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Profiles;

[Authorize]
public class IndexModel(UsersDbContext db, UserProfiles profiles, IOptions<ProfilesOptions> options, TimeProvider time) : PageModel
{
    public Profile Profile { get; private set; } = null!;

    public string Email { get; private set; } = "";

    public DateTimeOffset? LocalTime { get; private set; }

    public bool PublicProfiles => options.Value.PublicProfiles;

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await db.Users.FindSignedInAsync(User, cancellationToken);
        if (user is null)
        {
            return Challenge();
        }
        Email = user.Email;
        Profile = await profiles.GetOrCreateAsync(user, cancellationToken);
        if (Profile.TimeZone is { } zoneId && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
        {
            LocalTime = TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone);
        }
        return Page();
    }
}
