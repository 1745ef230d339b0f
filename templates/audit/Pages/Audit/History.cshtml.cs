using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;

namespace ModularUsersApp.Pages.Audit;

// /Audit/History?type=User&key=<id>: every recorded change to one row, oldest first, so the
// row's story reads from its creation down.
public class HistoryModel(UsersDbContext db) : AdminPageModel
{
    // More than this and the page shows the newest ones, with a link to the full list.
    public const int MaxEntries = 500;

    [BindProperty(SupportsGet = true)]
    [Required]
    [StringLength(AuditEntry.TypeMaxLength)]
    public string Type { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    [Required]
    [StringLength(AuditEntry.KeyMaxLength)]
    public string Key { get; set; } = "";

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public bool IsCut { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest(ModelState);
        }
        var newest = await db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == Type && e.EntityKey == Key)
            .OrderByDescending(e => e.Id)
            .Take(MaxEntries + 1)
            .ToListAsync(cancellationToken);
        if (newest.Count == 0)
        {
            return NotFound();
        }
        IsCut = newest.Count > MaxEntries;
        Entries = newest.Take(MaxEntries).Reverse().ToList();
        return Page();
    }
}
