using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Specs.Support;

namespace Specs.Accounts;

public class PasswordHasherSpecs
{
    private static PasswordHasher Hasher(int memoryKiB = 19_456, int iterations = 2) =>
        new(Options.Create(new AccountsOptions { Argon2 = new Argon2Options { MemoryKiB = memoryKiB, Iterations = iterations } }), new Meters());

    private sealed class Meters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }

    // Vectors of the Argon2 reference implementation (phc-winner-argon2, src/test.c).
    [Theory]
    [InlineData("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    [InlineData("$argon2id$v=19$m=262144,t=2,p=1$c29tZXNhbHQ$eP4eyR+zqlZX1y5xCFTkw9m5GYx0L5YWwvCFvtlbLow")]
    public async Task Reference_hashes_verify_with_the_right_password_only(string phc)
    {
        using var hasher = Hasher();

        Assert.Equal(PasswordCheck.SuccessRehashNeeded, await hasher.VerifyAsync("password", phc));
        Assert.Equal(PasswordCheck.Failed, await hasher.VerifyAsync("passwore", phc));
    }

    // Made by the other implementation an app may have used before (--hasher): libsodium's own
    // crypto_pwhash_str, and Konscious with this pack's settings and with parallelism 2.
    [Theory]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$NQHEvsarbrFarUSTdha3pw$ZXbelvHZAPDF6to9u4mzsuxBxy5duAyeAQBsUsOlask", PasswordCheck.Success)]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$XB59KptA8+bI0aKzxNXm9w$vBsqKWlo7BMYSnxLEDsudolrLjSS99u2iJFzFwC9KHU", PasswordCheck.Success)]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=2$XB59KptA8+bI0aKzxNXm9w$6DijDeXlK/wJxiIenBzv5Za1EE/0BXhM5HhxbtnHzEo", PasswordCheck.SuccessRehashNeeded)]
    public async Task Hashes_stored_by_either_hasher_verify_with_this_one(string phc, PasswordCheck expected)
    {
        using var hasher = Hasher();

        Assert.Equal(expected, await hasher.VerifyAsync("correct horse battery staple", phc));
        Assert.Equal(PasswordCheck.Failed, await hasher.VerifyAsync("correct horse battery stapler", phc));
    }

    [Fact]
    public async Task New_hashes_are_phc_strings_with_a_fresh_16_byte_salt()
    {
        using var hasher = Hasher();

        var first = await hasher.HashAsync("same password");
        var second = await hasher.HashAsync("same password");

        Assert.Matches(@"^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", first);
        Assert.NotEqual(first, second);
        Assert.Equal(PasswordCheck.Success, await hasher.VerifyAsync("same password", first));
    }

    [Theory]
    [InlineData("")]
    [InlineData("$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    [InlineData("$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    [InlineData("$argon2id$v=19$m=999999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    [InlineData("$argon2id$v=19$m=65536,t=2$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    [InlineData("$argon2id$v=19$m=65536,t=2,p=1$!!!$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    public async Task Malformed_or_foreign_hashes_never_verify(string phc)
    {
        using var hasher = Hasher();

        Assert.Equal(PasswordCheck.Failed, await hasher.VerifyAsync("password", phc));
    }

    [Fact]
    public async Task Signing_in_rehashes_the_password_when_the_cost_settings_were_raised()
    {
        await using var app = await TestApp.StartAsync();
        using (var browser = app.NewBrowser())
        {
            await browser.RegisterAsync("rehash@example.com");
        }

        await using var stronger = app.Restart(new() { ["Accounts:Argon2:Iterations"] = "3", ["Accounts:Argon2:MemoryKiB"] = "24576" });
        using var later = stronger.NewBrowser();
        await later.SignInAsync("rehash@example.com");

        Assert.True(await later.IsSignedInAsync());
        var hash = await stronger.QueryAsync(db => db.Users.Select(u => u.PasswordHash).SingleAsync());
        Assert.StartsWith("$argon2id$v=19$m=24576,t=3,p=1$", hash);
    }

    // libsodium makes hashes with parallelism 1 only; Konscious with any.
    [Trait("ServerErrors", "expected")]
    [Fact]
    public async Task A_parallelism_the_hasher_cannot_compute_stops_the_app_at_start_and_others_hash_with_it()
    {
        await using var app = await TestApp.StartAsync();
        var settings = new Dictionary<string, string> { ["Accounts:Argon2:Parallelism"] = "2" };

        if (Argon2Computation.Unsupported(new Argon2Parameters(19_456, 2, 2)) is { } reason)
        {
            var error = Assert.ThrowsAny<Exception>(() => app.Restart(settings));
            Assert.Contains(reason, error.ToString());
        }
        else
        {
            await using var parallel = app.Restart(settings);
            using var browser = parallel.NewBrowser();
            await browser.RegisterAsync("lanes@example.com");
            var hash = await parallel.QueryAsync(db => db.Users.Select(u => u.PasswordHash).SingleAsync());
            Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=2$", hash);
        }
    }

    // The refused start is logged as a failed host start.
    [Trait("ServerErrors", "expected")]
    [Fact]
    public async Task Cost_settings_below_the_owasp_minimum_stop_the_app_at_start()
    {
        await using var app = await TestApp.StartAsync();

        var error = Assert.ThrowsAny<Exception>(() => app.Restart(new() { ["Accounts:Argon2:MemoryKiB"] = "1024" }));

        Assert.Contains("MemoryKiB", error.ToString());
    }
}
