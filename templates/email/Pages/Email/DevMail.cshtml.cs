using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ModularUsersApp.Pages.Email;

// Development only, with no SMTP server configured: the mails the app would have sent, so that
// registration and resets can be followed on a developer's machine. Open to anyone (there may be
// no admin yet); everywhere else it does not exist.
[AllowAnonymous]
public class DevMailModel(IMailDelivery delivery, IHostEnvironment environment) : PageModel
{
    public IReadOnlyList<DeliveredMail> Mails { get; private set; } = [];

    public IActionResult OnGet()
    {
        if (!environment.IsDevelopment() || delivery is not DevelopmentMailbox mailbox)
        {
            return NotFound();
        }
        Mails = mailbox.Newest;
        return Page();
    }

    public static bool IsLink(string line) =>
        Uri.TryCreate(line.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
