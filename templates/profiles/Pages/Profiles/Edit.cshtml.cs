using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Profiles;

[Authorize]
public class EditModel(UsersDbContext db, UserProfiles profiles, UserEventPublisher events, TimeProvider time) : PageModel
{
    private const string ChangedElsewhere =
        "Your profile was changed in another window or tab after you opened this page. Your edits are below; " +
        "save again to replace the other changes, or open your profile to see them.";

    private const string HandleTaken = "This handle is taken. Choose another.";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<string> TimeZoneIds { get; private set; } = [];

    public class InputModel
    {
        [Required(ErrorMessage = "Enter the name others see.")]
        [StringLength(Profile.DisplayNameMaxLength, ErrorMessage = "Use at most {1} characters.")]
        [PlainText]
        [Display(Name = "Display name")]
        public string DisplayName { get; set; } = "";

        [ProfileHandle]
        [Display(Name = "Handle")]
        public string? Handle { get; set; }

        [StringLength(Profile.BioMaxLength, ErrorMessage = "Use at most {1} characters.")]
        [PlainText(multiline: true)]
        [Display(Name = "About you")]
        public string? Bio { get; set; }

        [StringLength(Profile.LocationMaxLength, ErrorMessage = "Use at most {1} characters.")]
        [PlainText]
        [Display(Name = "Location")]
        public string? Location { get; set; }

        [StringLength(Profile.WebsiteMaxLength, ErrorMessage = "Use at most {1} characters.")]
        [PlainText]
        [WebsiteUrl]
        [Display(Name = "Website")]
        public string? Website { get; set; }

        [TimeZoneId]
        [Display(Name = "Time zone")]
        public string? TimeZone { get; set; }

        // The version of the profile this form was opened with.
        public Guid Version { get; set; }

        public static InputModel From(Profile profile) => new()
        {
            DisplayName = profile.DisplayName,
            Handle = profile.Handle,
            Bio = profile.Bio,
            Location = profile.Location,
            Website = profile.Website,
            TimeZone = profile.TimeZone,
            Version = profile.Version,
        };

        public void ApplyTo(Profile profile)
        {
            profile.DisplayName = DisplayName.Trim();
            profile.Handle = string.IsNullOrWhiteSpace(Handle) ? null : ProfileHandleAttribute.Normalize(Handle);
            profile.Bio = NullIfBlank(Bio);
            profile.Location = NullIfBlank(Location);
            profile.Website = NullIfBlank(Website);
            profile.TimeZone = NullIfBlank(TimeZone);
        }

        private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var (_, profile) = await LoadAsync(cancellationToken);
        if (profile is null)
        {
            return Challenge();
        }
        Input = InputModel.From(profile);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (user, profile) = await LoadAsync(cancellationToken);
        if (user is null || profile is null)
        {
            return Challenge();
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        if (profile.Version != Input.Version)
        {
            return ChangedElsewherePage(profile.Version);
        }

        Input.ApplyTo(profile);
        if (await IsHandleTakenAsync(profile, cancellationToken))
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(InputModel.Handle)}", HandleTaken);
            return Page();
        }
        profile.UpdatedAt = time.GetUtcNow();
        profile.Version = Guid.NewGuid();
        await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent(ProfileEvents.Updated, user), cancellationToken));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Saved by another request between our read and our write.
            var current = await db.Profiles.AsNoTracking().SingleAsync(p => p.UserId == user.Id, cancellationToken);
            return ChangedElsewherePage(current.Version);
        }
        catch (DbUpdateException)
        {
            // The unique index: another user took the same handle between the check and the save.
            if (!await IsHandleTakenAsync(profile, cancellationToken))
            {
                throw;
            }
            ModelState.AddModelError($"{nameof(Input)}.{nameof(InputModel.Handle)}", HandleTaken);
            return Page();
        }

        TempData["StatusMessage"] = "Your profile has been saved.";
        return RedirectToPage("./Index");
    }

    private Task<bool> IsHandleTakenAsync(Profile profile, CancellationToken cancellationToken) =>
        profile.Handle is { } handle
            ? db.Profiles.AnyAsync(p => p.Handle == handle && p.UserId != profile.UserId, cancellationToken)
            : Task.FromResult(false);

    private PageResult ChangedElsewherePage(Guid currentVersion)
    {
        ModelState.AddModelError(string.Empty, ChangedElsewhere);
        // Saving this form again is now a deliberate replacement of the other changes.
        ModelState.Remove($"{nameof(Input)}.{nameof(InputModel.Version)}");
        Input.Version = currentVersion;
        return Page();
    }

    // The suggestions, as IANA ids ("Europe/Paris") on every OS: Windows lists its own ids
    // ("Romance Standard Time"), which the BCL maps to IANA ones.
    public static IReadOnlyList<string> IanaTimeZoneIds(IEnumerable<TimeZoneInfo> zones) =>
        zones.Select(z => z.HasIanaId ? z.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(z.Id, out var ianaId) ? ianaId : null)
            .OfType<string>().Distinct().Order().ToList();

    // Everything the page shows, for GET and for a POST that shows the form again.
    private async Task<(User? User, Profile? Profile)> LoadAsync(CancellationToken cancellationToken)
    {
        TimeZoneIds = IanaTimeZoneIds(TimeZoneInfo.GetSystemTimeZones());
        var user = await db.Users.FindSignedInAsync(User, cancellationToken);
        return user is null ? (null, null) : (user, await profiles.GetOrCreateAsync(user, cancellationToken));
    }
}
