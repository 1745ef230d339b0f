using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ModularUsersApp.Pages;

public class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
