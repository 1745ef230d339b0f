using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ModularUsersApp.Pages.Accounts;

[AllowAnonymous]
[LimitPostsPerAddress(PostLimit.SignIn)]
public class LoginModel(PasswordSignIn passwordSignIn, UserSignIn userSignIn) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string ReturnUrl { get; private set; } = "/";

    public class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [AccountEmail]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        [StringLength(AccountLimits.PasswordMaxLength, ErrorMessage = "The password is too long.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";

        [Display(Name = "Keep me signed in on this device")]
        public bool RememberMe { get; set; }
    }

    public void OnGet(string? returnUrl)
    {
        ReturnUrl = Url.LocalOrHome(returnUrl);
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = Url.LocalOrHome(returnUrl);
        if (!ModelState.IsValid)
        {
            RefuseUnreadableRememberMe();
            return Page();
        }

        var result = await passwordSignIn.CheckAsync(Input.Email, Input.Password, cancellationToken);
        switch (result.Status)
        {
            case PasswordSignInStatus.Success:
                var progress = await userSignIn.BeginAsync(result.User!, Input.RememberMe, cancellationToken);
                if (progress.StepPage is not null)
                {
                    return RedirectToPage(progress.StepPage, new { returnUrl = ReturnUrl });
                }
                return progress.Started ? LocalRedirect(ReturnUrl) : RedirectToPage("./Lockout");
            case PasswordSignInStatus.LockedOut:
                return RedirectToPage("./Lockout");
            case PasswordSignInStatus.TooManyAttempts:
                ModelState.AddModelError(string.Empty, "Too many failed sign-ins from your network. Wait a few minutes and try again.");
                return Page();
            default:
                // The same words whether the email is unknown or the password wrong.
                ModelState.AddModelError(string.Empty, "The email or password is not correct.");
                return Page();
        }
    }

    // The checkbox sends "true" or "false". Anything else (never sent by this form) is refused
    // with a message, and its raw value dropped: the checkbox could not show it again.
    private void RefuseUnreadableRememberMe()
    {
        const string key = $"{nameof(Input)}.{nameof(InputModel.RememberMe)}";
        if (ModelState.GetFieldValidationState(key) == ModelValidationState.Invalid)
        {
            ModelState.Remove(key);
            ModelState.AddModelError(key, "Keep me signed in: tick the box or leave it empty.");
        }
    }
}
