using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Email;

namespace ModularUsersApp.Pages.Accounts;

public partial class UsersDbContext
{
    public DbSet<OutboxEmail> EmailOutbox => Set<OutboxEmail>();

    public DbSet<EmailToken> EmailTokens => Set<EmailToken>();

    public DbSet<UnconfirmedAccount> UnconfirmedAccounts => Set<UnconfirmedAccount>();
}
