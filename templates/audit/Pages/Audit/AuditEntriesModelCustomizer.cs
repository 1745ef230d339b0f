using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ModularUsersApp.Pages.Audit;

// Adds the AuditEntries table to the model of a context registered with AddAuditTrail.
public class AuditEntriesModelCustomizer(ModelCustomizerDependencies dependencies) : ModelCustomizer(dependencies)
{
    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);
        modelBuilder.Entity<AuditEntry>();
    }
}
