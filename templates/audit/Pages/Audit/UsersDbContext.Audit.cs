using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Audit;

namespace ModularUsersApp.Pages.Accounts;

public partial class UsersDbContext
{
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
}
