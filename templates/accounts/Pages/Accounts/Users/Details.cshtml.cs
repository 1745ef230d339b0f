using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts.Users;

// /Accounts/Users/Details/{id}: what accounts knows of one user, the admin's actions on the
// account, and the sections other modules add (IUserAdminPart). Granting Admin and deactivating
// an admin ask for the acting admin's password again, judged as every password is (wrong
// answers count toward the acting admin's lockout).
public class DetailsModel(
    UsersDbContext db,
    UserAdministration administration,
    UserAccounts accounts,
    SecretJudge judge,
    IEnumerable<IUserAdminPart> parts,
    IOptions<AccountsOptions> options,
    TimeProvider time) : AdminPageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public class InputModel
    {
        [StringLength(AccountLimits.PasswordMaxLength, ErrorMessage = "The password is too long.")]
        [DataType(DataType.Password)]
        [Display(Name = "Your password")]
        public string? Password { get; set; }
    }

    public User Account { get; private set; } = null!;

    public int OpenSessions { get; private set; }

    public bool IsLockedOut { get; private set; }

    public IReadOnlyList<UserAdminSection> Sections { get; private set; } = [];

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await FindAsync(cancellationToken) is not { } user)
        {
            return NotFound();
        }
        await LoadAsync(user, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostDeactivateAsync(CancellationToken cancellationToken) =>
        ActAsync(user => user.IsInRole(Roles.Admin), user => administration.DeactivateAsync(user, ActingAdmin, cancellationToken),
            user => $"{user.Email} is deactivated and signed out everywhere.", cancellationToken);

    public Task<IActionResult> OnPostReactivateAsync(CancellationToken cancellationToken) =>
        ActAsync(_ => false, user => administration.ReactivateAsync(user, ActingAdmin, cancellationToken),
            user => $"{user.Email} is active again and can sign in.", cancellationToken);

    public Task<IActionResult> OnPostUnlockAsync(CancellationToken cancellationToken) =>
        ActAsync(_ => false, user => administration.UnlockAsync(user, ActingAdmin, cancellationToken),
            user => $"{user.Email} is unlocked.", cancellationToken);

    public Task<IActionResult> OnPostGrantAdminAsync(CancellationToken cancellationToken) =>
        ActAsync(_ => true, user => administration.GrantAdminAsync(user, ActingAdmin, cancellationToken),
            user => $"{user.Email} has the {Roles.Admin} role.", cancellationToken);

    public Task<IActionResult> OnPostRevokeAdminAsync(CancellationToken cancellationToken) =>
        ActAsync(_ => false, user => administration.RevokeAdminAsync(user, ActingAdmin, cancellationToken),
            user => $"{user.Email} no longer has the {Roles.Admin} role.", cancellationToken);

    public Task<IActionResult> OnPostSignOutEverywhereAsync(CancellationToken cancellationToken) =>
        ActAsync(_ => false, user => administration.SignOutEverywhereAsync(user, ActingAdmin, cancellationToken),
            user => $"Every session of {user.Email} has ended.", cancellationToken);

    // A button of a module's section (IUserAdminPart.RunAsync).
    public async Task<IActionResult> OnPostPartAsync(string part, string action, string? argument, CancellationToken cancellationToken)
    {
        if (await FindAsync(cancellationToken) is not { } user)
        {
            return NotFound();
        }
        if (parts.FirstOrDefault(p => p.Name == part) is not { } handler
            || await handler.RunAsync(user, action, argument, ActingAdmin, cancellationToken) is not { } message)
        {
            return BadRequest();
        }
        StatusMessage = message;
        return RedirectToPage(new { id = user.Id });
    }

    // act returns null when done, or why nothing was done (shown on the page again).
    private async Task<IActionResult> ActAsync(
        Func<User, bool> asksPassword, Func<User, Task<string?>> act, Func<User, string> done, CancellationToken cancellationToken)
    {
        if (await FindAsync(cancellationToken) is not { } user)
        {
            return NotFound();
        }
        if (!ModelState.IsValid || (asksPassword(user) && !await PasswordConfirmedAsync(cancellationToken)))
        {
            await LoadAsync(user, cancellationToken);
            return Page();
        }
        if (await act(user) is { } refusal)
        {
            ModelState.AddModelError(string.Empty, refusal);
            await LoadAsync(await FindAsync(cancellationToken) ?? user, cancellationToken);
            return Page();
        }
        StatusMessage = done(user);
        return RedirectToPage(new { id = user.Id });
    }

    private async Task<bool> PasswordConfirmedAsync(CancellationToken cancellationToken)
    {
        const string field = $"{nameof(Input)}.{nameof(InputModel.Password)}";
        if (string.IsNullOrEmpty(Input.Password))
        {
            ModelState.AddModelError(field, "Enter your password to confirm this change.");
            return false;
        }
        var admin = await db.Users.FindSignedInAsync(User, cancellationToken);
        if (admin is null)
        {
            return false;
        }
        var password = Input.Password;
        var verdict = await judge.JudgeReauthenticationAsync(admin, () => accounts.IsPasswordRightAsync(admin, password, cancellationToken), cancellationToken);
        if (verdict == Verdict.Right)
        {
            return true;
        }
        ModelState.AddModelError(field, verdict == Verdict.Wrong ? "Your password is not correct." : SecretJudge.PausedMessage);
        return false;
    }

    private Task<User?> FindAsync(CancellationToken cancellationToken) =>
        db.Users.Include(u => u.Roles).SingleOrDefaultAsync(u => u.Id == Id, cancellationToken);

    private async Task LoadAsync(User user, CancellationToken cancellationToken)
    {
        Account = user;
        var now = time.GetUtcNow();
        IsLockedOut = user.LockoutEnd > now;
        var startedAfter = now - options.Value.SessionAbsoluteLifetime;
        OpenSessions = await db.UserSessions.CountAsync(s => s.UserId == user.Id && s.EndedAt == null && s.CreatedAt > startedAfter, cancellationToken);
        var sections = new List<UserAdminSection>();
        foreach (var part in parts)
        {
            sections.Add(await part.LoadAsync(user, cancellationToken));
        }
        Sections = sections;
    }
}
