using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

[Authorize]
[LimitPostsPerAddress(PostLimit.TypedSecrets)]
public class ChangeEmailModel(UsersDbContext db, EmailChange change) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string CurrentEmail { get; private set; } = "";

    public class InputModel
    {
        [Required(ErrorMessage = "Enter the new email address.")]
        [AccountEmail]
        [Display(Name = "New email")]
        public string NewEmail { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        [StringLength(AccountLimits.PasswordMaxLength, ErrorMessage = "The password is too long.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string CurrentPassword { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is null ? Challenge() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not { } user)
        {
            return Challenge();
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        if (await change.RequestAsync(user, Input.NewEmail, Input.CurrentPassword, cancellationToken) is { Field: var field, Message: var message })
        {
            ModelState.AddModelError($"{nameof(Input)}.{field}", message);
            return Page();
        }
        return RedirectToPage("./CheckInbox", new { @for = CheckInboxModel.EmailChange });
    }

    private async Task<User?> LoadAsync(CancellationToken cancellationToken)
    {
        var user = await db.Users.FindSignedInAsync(User, cancellationToken);
        CurrentEmail = user?.Email ?? "";
        return user;
    }
}
