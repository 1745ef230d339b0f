using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Audit;

// A team's own data in the trail: a context of the app's own (orders and their lines, on the
// users database), its entities marked .Audited() and registered with AddAuditTrail.
public class OwnDataSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAsync(services: services => services.AddDbContext<ShopDbContext>((provider, options) =>
        {
            // The users database, whichever provider the app has.
            var users = provider.GetRequiredService<DbContextOptions<UsersDbContext>>();
            foreach (var extension in users.Extensions.Where(e => e is not CoreOptionsExtension))
            {
                typeof(IDbContextOptionsBuilderInfrastructure).GetMethod(nameof(IDbContextOptionsBuilderInfrastructure.AddOrUpdateExtension))!
                    .MakeGenericMethod(extension.GetType()).Invoke(options, [extension]);
            }
            options.AddAuditTrail(provider, onUsersDatabase: true);
        }));
        await ShopAsync(db => db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync());
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task ShopAsync(Func<ShopDbContext, Task> work)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<ShopDbContext>());
    }

    private Task<List<AuditEntry>> EntriesAsync() =>
        _app.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == "Order" || e.EntityType == "OrderLine").OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task Adding_changing_and_deleting_rows_of_an_own_context_records_each_with_exact_values_and_composite_keys()
    {
        var order = new Order { Customer = "Ada", TotalCents = 1050, ApiToken = "tok_secret_value", Notes = "call first" };
        order.Lines.Add(new OrderLine { Number = 1, Product = "Loom", Quantity = 1 });
        order.Lines.Add(new OrderLine { Number = 2, Product = "Punch cards", Quantity = 40 });
        await ShopAsync(async db => { db.Orders.Add(order); await db.SaveChangesAsync(); });
        await ShopAsync(async db =>
        {
            var saved = await db.Orders.Include(o => o.Lines).SingleAsync();
            saved.Customer = "Grace";
            saved.TotalCents = 1200;
            saved.Notes = "left at the door";
            db.Remove(saved.Lines.Single(l => l.Number == 2));
            await db.SaveChangesAsync();
        });

        var entries = await EntriesAsync();
        Assert.Equal(5, entries.Count);
        var (created, changed) = (entries.Take(3).ToList(), entries.Skip(3).ToList());
        Assert.Single(created.Select(e => e.ChangeSetId).Distinct());
        var added = Assert.Single(created, e => e.EntityType == "Order");
        Assert.Equal(order.Id.ToString(), added.EntityKey);
        Assert.Equal($$$"""{"Id":{"new":"{{{order.Id}}}"},"ApiToken":{"changed":true},"Customer":{"new":"Ada"},"TotalCents":{"new":1050}}""", added.Changes);
        Assert.Equal([$"{order.Id}/1", $"{order.Id}/2"], created.Where(e => e.EntityType == "OrderLine").Select(e => e.EntityKey).Order());
        var modified = Assert.Single(changed, e => e.Action == AuditActions.Modified);
        Assert.Equal("""{"Customer":{"old":"Ada","new":"Grace"},"TotalCents":{"old":1050,"new":1200}}""", modified.Changes);
        var deleted = Assert.Single(changed, e => e.Action == AuditActions.Deleted);
        Assert.Equal($"{order.Id}/2", deleted.EntityKey);
        Assert.Equal($$$"""{"OrderId":{"old":"{{{order.Id}}}"},"Number":{"old":2},"Product":{"old":"Punch cards"},"Quantity":{"old":40}}""", deleted.Changes);
        Assert.DoesNotContain(entries, e => e.Changes!.Contains("tok_secret_value") || e.Changes.Contains("call first"));

        using var admin = await _app.SignedInAdminAsync("admin@example.com");
        var (status, html) = await admin.GetAsync($"/Audit?Filter.Type=Order&Filter.Key={order.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Grace", html);
    }

    [Fact]
    public async Task A_bulk_statement_on_an_audited_column_of_an_own_table_is_refused_and_one_on_an_unaudited_column_passes()
    {
        await ShopAsync(async db => { db.Orders.Add(new Order { Customer = "Ada", TotalCents = 100 }); await db.SaveChangesAsync(); });

        await ShopAsync(async db =>
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                db.Orders.ExecuteUpdateAsync(set => set.SetProperty(o => o.Customer, "Mallory")));
            Assert.Contains("ShopOrders", refused.Message);
            Assert.Equal(1, await db.Orders.ExecuteUpdateAsync(set => set.SetProperty(o => o.Notes, "bulk note")));
        });

        await ShopAsync(async db =>
        {
            var order = await db.Orders.AsNoTracking().SingleAsync();
            Assert.Equal(("Ada", "bulk note"), (order.Customer, order.Notes));
        });
    }

    public class ShopDbContext(DbContextOptions<ShopDbContext> options) : DbContext(options)
    {
        public DbSet<Order> Orders => Set<Order>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Order>(order =>
            {
                order.ToTable("ShopOrders");
                order.Property(o => o.Id).ValueGeneratedNever();
                order.Audited();
                order.Property(o => o.Notes).NotAudited();
                order.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId);
            });
            modelBuilder.Entity<OrderLine>(line =>
            {
                line.ToTable("ShopOrderLines");
                line.HasKey(l => new { l.OrderId, l.Number });
                line.Property(l => l.Number).ValueGeneratedNever();
                line.Audited();
            });
        }
    }

    public class Order
    {
        public Guid Id { get; set; } = Guid.CreateVersion7();

        public required string Customer { get; set; }

        public int TotalCents { get; set; }

        // Hidden by its name: recorded as "changed".
        public string? ApiToken { get; set; }

        public string? Notes { get; set; }

        public List<OrderLine> Lines { get; set; } = [];
    }

    public class OrderLine
    {
        public Guid OrderId { get; set; }

        public int Number { get; set; }

        public required string Product { get; set; }

        public int Quantity { get; set; }
    }
}
