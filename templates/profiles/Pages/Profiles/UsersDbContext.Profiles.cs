using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Profiles;

namespace ModularUsersApp.Pages.Accounts;

public partial class UsersDbContext
{
    public DbSet<Profile> Profiles => Set<Profile>();
}
