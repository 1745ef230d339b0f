using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// Linked from the sign-in page. Every address gets the same answer (CheckInbox); the mailbox
// tells its owner whether there is an account.
[AllowAnonymous]
[LimitPostsPerAddress(PostLimit.Registration)]
public class ForgotPasswordModel(PasswordReset reset) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [AccountEmail]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        await reset.RequestAsync(Input.Email, cancellationToken);
        return RedirectToPage("./CheckInbox", new { @for = CheckInboxModel.PasswordReset });
    }
}
