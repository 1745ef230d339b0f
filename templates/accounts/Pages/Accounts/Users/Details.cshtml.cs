using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts.Users;

// /Accounts/Users/Details/{id}: what accounts knows of one user, the admin's actions on the
// account, and the sections other modules add (IUserAdminPart). Granting Admin, and every action
// on an admin's account, ask for the acting admin's password again, judged as every password is
// (wrong answers count toward the acting admin's lockout).
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
        ActAsync(user => ResultAsync(administration.DeactivateAsync(user, ActingAdmin, cancellationToken),
            $"{user.Email} is deactivated and signed out everywhere."), cancellationToken);

    public Task<IActionResult> OnPostReactivateAsync(CancellationToken cancellationToken) =>
        ActAsync(user => ResultAsync(administration.ReactivateAsync(user, ActingAdmin, cancellationToken),
            $"{user.Email} is active and can sign in."), cancellationToken);

    public Task<IActionResult> OnPostUnlockAsync(CancellationToken cancellationToken) =>
        ActAsync(user => ResultAsync(administration.UnlockAsync(user, ActingAdmin, cancellationToken),
            $"{user.Email} is unlocked."), cancellationToken);

    public Task<IActionResult> OnPostGrantAdminAsync(CancellationToken cancellationToken) =>
        ActAsync(user => ResultAsync(administration.GrantAdminAsync(user, ActingAdmin, cancellationToken),
            $"{user.Email} has the {Roles.Admin} role."), cancellationToken, grantsAdmin: true);

    public Task<IActionResult> OnPostRevokeAdminAsync(CancellationToken cancellationToken) =>
        ActAsync(user => ResultAsync(administration.RevokeAdminAsync(user, ActingAdmin, cancellationToken),
            $"{user.Email} does not have the {Roles.Admin} role."), cancellationToken);

    public Task<IActionResult> OnPostSignOutEverywhereAsync(CancellationToken cancellationToken) =>
        ActAsync(user => ResultAsync(administration.SignOutEverywhereAsync(user, ActingAdmin, cancellationToken),
            $"Every session of {user.Email} has ended."), cancellationToken);

    // A button of a module's section (IUserAdminPart.RunAsync); 400 for a part or action nobody knows.
    public Task<IActionResult> OnPostPartAsync(string part, string action, string? argument, CancellationToken cancellationToken) =>
        parts.FirstOrDefault(p => p.Name == part) is { } handler
            ? ActAsync(user => handler.RunAsync(user, action, argument, ActingAdmin, cancellationToken), cancellationToken)
            : Task.FromResult<IActionResult>(BadRequest());

    // Granting Admin, and any action on an admin's account, first asks for the acting admin's
    // password. Done: the message after the redirect; refused: the reason on the page again.
    private async Task<IActionResult> ActAsync(Func<User, Task<UserAdminResult?>> act, CancellationToken cancellationToken, bool grantsAdmin = false)
    {
        if (await FindAsync(cancellationToken) is not { } user)
        {
            return NotFound();
        }
        if (!ModelState.IsValid || ((grantsAdmin || UserAdminPassword.IsAskedFor(user)) && !await PasswordConfirmedAsync(cancellationToken)))
        {
            await LoadAsync(user, cancellationToken);
            return Page();
        }
        switch (await act(user))
        {
            case null:
                return BadRequest();
            case { Done: true } done:
                StatusMessage = done.Message;
                return RedirectToPage(new { id = user.Id });
            case var refused:
                ModelState.AddModelError(string.Empty, refused.Message);
                await LoadAsync(await FindAsync(cancellationToken) ?? user, cancellationToken);
                return Page();
        }
    }

    // UserAdministration's answer (null when done, else why not) as a result.
    private static async Task<UserAdminResult?> ResultAsync(Task<string?> refusal, string done) =>
        await refusal is { } reason ? UserAdminResult.Refused(reason) : UserAdminResult.Success(done);

    private async Task<bool> PasswordConfirmedAsync(CancellationToken cancellationToken)
    {
        const string field = $"{nameof(Input)}.{nameof(InputModel.Password)}";
        if (string.IsNullOrEmpty(Input.Password))
        {
            ModelState.AddModelError(field, "Enter your password to confirm this change.");
            return false;
        }
        if (await db.Users.FindSignedInAsync(User, cancellationToken) is not { } admin)
        {
            ModelState.AddModelError(field, "Your account was not found; sign in again.");
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
