using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Logs;

namespace ModularUsersApp.Pages.Accounts;

public partial class UsersDbContext
{
    public DbSet<AuthEvent> AuthEvents => Set<AuthEvent>();
}
