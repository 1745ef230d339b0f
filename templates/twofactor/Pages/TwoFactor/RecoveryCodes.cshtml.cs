using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ModularUsersApp.Pages.TwoFactor;

// Shows new recovery codes once, right after they were made; only their hashes are stored.
[Authorize]
public class RecoveryCodesModel : PageModel
{
    public const string TempDataKey = "TwoFactor.RecoveryCodes";

    public IReadOnlyList<string> Codes { get; private set; } = [];

    public IActionResult OnGet()
    {
        if (TempData[TempDataKey] is not string codes)
        {
            return RedirectToPage("./Index");
        }
        Codes = codes.Split('\n');
        return Page();
    }
}
