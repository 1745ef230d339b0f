using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Sessions;

namespace ModularUsersApp.Pages.Accounts;

public partial class UsersDbContext
{
    public DbSet<KnownDevice> KnownDevices => Set<KnownDevice>();
}
