using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts.Users;

// /Accounts/Users: every account, newest first, 50 a page. Search finds a part of the email
// address; "show" narrows to active, deactivated, locked-out or admin accounts, or to a filter
// another module adds (IUserListFilter). Paging continues after the last user shown (keyset on
// the CreatedAt, NormalizedEmail index), so later pages cost what the first one does.
public class IndexModel(UsersDbContext db, IEnumerable<IUserListFilter> moduleFilters, TimeProvider time) : AdminPageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    [StringLength(AccountLimits.EmailMaxLength)]
    [PlainText]
    [Display(Name = "Email contains")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    [Display(Name = "Show")]
    public string? Show { get; set; }

    // The next page starts after this user.
    [BindProperty(SupportsGet = true)]
    public Guid? After { get; set; }

    public IReadOnlyList<UserRow> Rows { get; private set; } = [];

    public Guid? NextAfter { get; private set; }

    public IReadOnlyList<(string Value, string Label)> ShowChoices { get; private set; } = [];

    public record UserRow(Guid Id, string Email, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, bool IsActive, bool IsLockedOut, bool IsAdmin);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        ShowChoices =
        [
            ("", "Everyone"), ("active", "Active"), ("deactivated", "Deactivated"), ("locked", "Locked out"), ("admins", "Admins"),
            .. moduleFilters.Select(f => (f.Value, f.Label)),
        ];
        if (!string.IsNullOrEmpty(Show) && !ShowChoices.Any(c => c.Value == Show))
        {
            ModelState.AddModelError(nameof(Show), "Choose one of the listed groups.");
        }
        if (ModelState.IsValid)
        {
            await LoadAsync(cancellationToken);
        }
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var part = Accounts.User.NormalizeEmail(Search);
            users = users.Where(u => u.NormalizedEmail.Contains(part));
        }
        users = Show switch
        {
            "active" => users.Active(),
            "deactivated" => users.Deactivated(),
            "locked" => users.LockedOut(db, now),
            "admins" => users.Admins(db),
            _ => moduleFilters.FirstOrDefault(f => f.Value == Show)?.Apply(users) ?? users,
        };
        if (After is { } after
            && await db.Users.Where(u => u.Id == after).Select(u => new { u.CreatedAt, u.NormalizedEmail }).SingleOrDefaultAsync(cancellationToken) is { } last)
        {
            // The first condition alone bounds the index range; the second orders within it.
            users = users.Where(u => u.CreatedAt <= last.CreatedAt
                && (u.CreatedAt < last.CreatedAt || string.Compare(u.NormalizedEmail, last.NormalizedEmail) < 0));
        }
        var rows = await users
            .OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.NormalizedEmail)
            .Take(PageSize + 1)
            .Select(u => new UserRow(u.Id, u.Email, u.CreatedAt, u.LastSignInAt, u.IsActive, u.LockoutEnd > now,
                u.Roles.Any(r => r.Role == Roles.Admin)))
            .ToListAsync(cancellationToken);
        Rows = rows.Take(PageSize).ToList();
        NextAfter = rows.Count > PageSize ? Rows[^1].Id : null;
    }
}
