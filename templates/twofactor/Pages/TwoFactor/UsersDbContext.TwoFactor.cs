using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.TwoFactor;

namespace ModularUsersApp.Pages.Accounts;

public partial class UsersDbContext
{
    public DbSet<Authenticator> Authenticators => Set<Authenticator>();

    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();
}
