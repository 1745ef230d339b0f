using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ModularUsersApp.Pages.Audit;

// Adds the AuditEntries table to the model of a context registered with AddAuditTrail, as a
// table of its own database (its migrations create it).
public class AuditEntriesOfItsOwn(ModelCustomizerDependencies dependencies) : ModelCustomizer(dependencies)
{
    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);
        modelBuilder.Entity<AuditEntry>();
    }
}

// The same, for a context on the users database: the table is the users' one, which the users'
// migrations create, so this context's migrations leave it alone.
public class AuditEntriesOfTheUsersDatabase(ModelCustomizerDependencies dependencies) : ModelCustomizer(dependencies)
{
    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);
        modelBuilder.Entity<AuditEntry>().ToTable("AuditEntries", table => table.ExcludeFromMigrations());
    }
}
