using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

[AllowAnonymous]
public class LockoutModel(IOptions<AccountsOptions> options) : PageModel
{
    public int LockoutMinutes { get; private set; }

    public void OnGet()
    {
        LockoutMinutes = (int)Math.Ceiling(options.Value.LockoutPeriod.TotalMinutes);
    }
}
