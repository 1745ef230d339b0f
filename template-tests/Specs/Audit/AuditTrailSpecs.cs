using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Specs.Support;

namespace Specs.Audit;

// The audit trail of the templates' own data: what a save of an account records, what it never
// records, and that a save which fails records nothing.
public class AuditTrailSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private Task<List<AuditEntry>> EntriesAsync() =>
        _app.QueryAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task Registering_records_the_new_account_with_its_email_and_that_a_password_was_set_never_the_hash()
    {
        using var browser = _app.NewBrowser("203.0.113.7");
        await browser.RegisterAsync(Email);
        var userId = await _app.UserIdAsync(Email);

        var entry = Assert.Single(await EntriesAsync(), e => e.EntityType == "User");
        Assert.Equal(AuditActions.Added, entry.Action);
        Assert.Equal(userId.ToString(), entry.EntityKey);
        var changes = JsonDocument.Parse(entry.Changes!).RootElement;
        Assert.Equal(Email, changes.GetProperty("Email").GetProperty("new").GetString());
        Assert.True(changes.GetProperty("IsActive").GetProperty("new").GetBoolean());
        Assert.True(changes.GetProperty("PasswordHash").GetProperty("changed").GetBoolean());
        Assert.False(changes.TryGetProperty("NormalizedEmail", out _));
        Assert.False(changes.TryGetProperty("FailedSignInCount", out _));
        Assert.Equal("request", entry.Source);
        Assert.Equal("203.0.113.7", entry.ClientIp);
        Assert.Equal("/Accounts/Register", entry.Path);
        Assert.False(string.IsNullOrEmpty(entry.TraceId));
    }

    [Fact]
    public async Task A_password_change_is_recorded_as_changed_and_no_hash_appears_anywhere_in_the_trail()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var before = (await EntriesAsync()).Count;

        Assert.True((await browser.ChangePasswordAsync(Browser.StrongPassword, "another long passphrase for ada")).IsRedirect());

        var entry = Assert.Single((await EntriesAsync()).Skip(before), e => e.EntityType == "User");
        Assert.Equal(AuditActions.Modified, entry.Action);
        Assert.Equal(await _app.UserIdAsync(Email), entry.ActorUserId);
        Assert.Equal(Email, entry.ActorEmail);
        Assert.Equal("""{"PasswordHash":{"changed":true},"SecurityStamp":{"changed":true}}""", entry.Changes);
        var (hash, stamp) = await _app.QueryAsync(db => db.Users.Where(u => u.Email == Email).Select(u => new { u.PasswordHash, u.SecurityStamp })
            .SingleAsync().ContinueWith(t => (t.Result.PasswordHash, t.Result.SecurityStamp)));
        Assert.DoesNotContain(await _app.QueryAsync(db => db.AuditEntries.Select(e => e.Changes).ToListAsync()),
            changes => changes != null && (changes.Contains("$argon2id$") || changes.Contains(hash) || changes.Contains(stamp)));
    }

    [Fact]
    public async Task A_save_that_the_database_refuses_records_nothing()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var before = (await EntriesAsync()).Count;

        // Another account with the same address: the unique index refuses the whole save.
        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => _app.QueryAsync(async db =>
        {
            db.Users.Add(new User { Email = Email, NormalizedEmail = User.NormalizeEmail(Email), PasswordHash = "not a hash" });
            return await db.SaveChangesAsync();
        }));

        Assert.NotNull(refused);
        Assert.Equal(before, (await EntriesAsync()).Count);
    }

    [Fact]
    public async Task A_bulk_statement_that_changes_audited_columns_is_refused_unless_it_goes_through_the_bulk_helper()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        await browser.RegisterAsync("grace@example.com");
        var before = (await EntriesAsync()).Count;

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _app.QueryAsync(db =>
            db.Users.Where(u => u.Email == Email).ExecuteUpdateAsync(set => set.SetProperty(u => u.IsActive, false))));
        Assert.Contains("AuditBulk.RunAsync", refused.Message);
        Assert.Contains("Users", refused.Message);
        // The lockout counters are not audited: statements on them pass.
        Assert.Equal(1, await _app.QueryAsync(db =>
            db.Users.Where(u => u.Email == Email).ExecuteUpdateAsync(set => set.SetProperty(u => u.FailedSignInCount, 3))));
        Assert.True(await _app.QueryAsync(db => db.Users.Where(u => u.Email == Email).Select(u => u.IsActive).SingleAsync()));

        var rows = await _app.QueryAsync(async db =>
        {
            var bulk = _app.Services.GetRequiredService<AuditBulk>();
            return await bulk.RunAsync<User>(db, "Deactivated the test accounts", token =>
                db.Users.Where(u => u.Email.EndsWith("@example.com")).ExecuteUpdateAsync(set => set.SetProperty(u => u.IsActive, false), token), CancellationToken.None);
        });

        Assert.Equal(2, rows);
        var entry = Assert.Single((await EntriesAsync()).Skip(before));
        Assert.Equal((AuditActions.Bulk, "User", 2, "Deactivated the test accounts", "background"), (entry.Action, entry.EntityType, entry.RowsAffected, entry.Reason, entry.Source));
        Assert.False(await _app.QueryAsync(db => db.Users.AnyAsync(u => u.IsActive)));
    }

    [Fact]
    public async Task In_production_a_bulk_statement_on_audited_columns_runs_and_the_app_log_warns_of_the_hole()
    {
        var logs = new CapturedLogs();
        await using var development = await TestApp.StartAsync(services: logs.AddTo);
        using (var browser = development.NewBrowser())
        {
            await browser.RegisterAsync(Email);
        }
        await using var production = development.Restart(environment: "Production");
        Task<int> EntryCountAsync() => production.QueryAsync(db => db.AuditEntries.CountAsync());
        var before = await EntryCountAsync();
        Assert.NotEqual(0, before);
        logs.Clear();

        var rows = await production.QueryAsync(db =>
            db.Users.Where(u => u.Email == Email).ExecuteUpdateAsync(set => set.SetProperty(u => u.IsActive, false)));

        Assert.Equal(1, rows);
        Assert.False(await production.QueryAsync(db => db.Users.Where(u => u.Email == Email).Select(u => u.IsActive).SingleAsync()));
        var warning = Assert.Single(logs.Entries, e => e.EventId.Id == 1600);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Users", warning.Message);
        Assert.Contains("AuditBulk.RunAsync", warning.Message);
        Assert.Equal(before, await EntryCountAsync());
    }

    [Fact]
    public async Task A_command_names_itself_as_the_source_of_its_changes()
    {
        var run = await _app.RunCommandAsync("createsuperuser", ["--email", "root@example.com"],
            [new("ACCOUNTS_SUPERUSER_PASSWORD", "a sturdy admin passphrase")]);

        Assert.True(run.ExitCode == 0, run.Output);
        var entries = await EntriesAsync();
        Assert.Contains(entries, e => e.EntityType == "User" && e.Action == AuditActions.Added);
        Assert.All(entries, e => Assert.Equal("command:createsuperuser", e.Source));
        Assert.Single(entries.Select(e => e.ChangeSetId).Distinct());
        Assert.Null(entries[0].ActorUserId);
        var role = Assert.Single(entries, e => e.EntityType == "UserRole");
        Assert.Equal($"{await _app.UserIdAsync("root@example.com")}/Admin", role.EntityKey);
    }
}
