using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.TwoFactor;

// Recovery codes are long enough to guess at no rate that matters (at least 112 random bits,
// ASVS 6.5.2), and stored salted, so no precomputed table of hashes serves more than one code.
public class RecoveryCodeSpecs : IAsyncLifetime
{
    // 32 symbols, 5 bits each.
    private const string Alphabet = "ABCDEFGHJKMNPQRSTVWXYZ0123456789";

    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Each_recovery_code_carries_at_least_112_random_bits()
    {
        var codes = await EnableAsync("bits@example.com");

        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, code =>
        {
            var symbols = code.Replace("-", "");
            Assert.All(symbols, symbol => Assert.Contains(symbol, Alphabet));
            Assert.True(symbols.Length * 5 >= 112, $"{code} has {symbols.Length * 5} bits");
        });
    }

    [Fact]
    public async Task No_stored_value_is_the_plain_hash_of_its_code()
    {
        var codes = await EnableAsync("salted@example.com");

        var stored = await _app.QueryAsync(db => db.RecoveryCodes.Select(c => c.CodeHash).ToListAsync());

        Assert.Equal(10, stored.Count);
        Assert.All(codes, code => Assert.DoesNotContain(UnsaltedSha256(code), stored, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_same_code_stored_for_two_users_gives_two_different_rows_that_both_verify()
    {
        const string code = "ABCDE-FGHJK-MNPQR-STVWX-YZ234";

        var first = RecoveryCode.Create(Guid.NewGuid(), code);
        var second = RecoveryCode.Create(Guid.NewGuid(), code);

        Assert.NotEqual(first.Salt, second.Salt);
        Assert.NotEqual(first.CodeHash, second.CodeHash);
        Assert.True(first.Matches(code));
        Assert.True(second.Matches("abcde fghjk mnpqr stvwx yz234"));
        Assert.True(second.Matches("ABCDEFGHJKMNPQRSTVWXYZ234"));
        Assert.False(first.Matches("ABCDE-FGHJK-MNPQR-STVWX-YZ235"));
    }

    [Fact]
    public async Task Every_stored_code_of_every_user_has_its_own_salt()
    {
        await EnableAsync("first@example.com");
        await EnableAsync("second@example.com");

        var salts = await _app.QueryAsync(db => db.RecoveryCodes.Select(c => c.Salt).ToListAsync());

        Assert.Equal(20, salts.Count);
        Assert.Equal(20, salts.Distinct().Count());
        Assert.All(salts, salt => Assert.True(Convert.FromHexString(salt).Length >= 16));
    }

    [Fact]
    public async Task A_recovery_code_typed_in_lower_case_with_spaces_and_letters_for_0_and_1_signs_in_once()
    {
        var codes = await EnableAsync("typed@example.com");
        var code = codes.First(c => c.Contains('0') || c.Contains('1'));
        var typed = code.ToLowerInvariant().Replace('-', ' ').Replace('0', 'O').Replace('1', 'l');
        using var browser = _app.NewBrowser();
        await browser.SignInAsync("typed@example.com");

        Assert.True((await browser.VerifyAsync(recoveryCode: typed)).IsRedirect());
        Assert.True(await browser.IsSignedInAsync());
        using var again = _app.NewBrowser();
        await again.SignInAsync("typed@example.com");
        Assert.False((await again.VerifyAsync(recoveryCode: code)).IsRedirect());
        Assert.False(await again.IsSignedInAsync());
    }

    private async Task<IReadOnlyList<string>> EnableAsync(string email)
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(email);
        var (_, codes) = await browser.EnableTwoFactorAsync(_app);
        await browser.SignOutAsync();
        return codes;
    }

    private static string UnsaltedSha256(string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(code.Replace("-", "").ToUpperInvariant())));
}
