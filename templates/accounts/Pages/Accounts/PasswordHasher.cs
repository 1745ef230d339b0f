using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// Argon2id password hashes in the PHC string format shared with other languages' libraries:
// $argon2id$v=19$m=19456,t=2,p=1$<salt, base64 without padding>$<hash, base64 without padding>
public sealed class PasswordHasher : IDisposable
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly Argon2Options _options;
    private readonly SemaphoreSlim _concurrency;
    private readonly int _maxQueued;
    private readonly Counter<long> _computations;
    private int _queued;
    private string? _dummyHash;

    public PasswordHasher(IOptions<AccountsOptions> options, IMeterFactory meters)
    {
        _options = options.Value.Argon2;
        // For dashboards (hashing is most of what sign-ins cost) and for checking that every
        // sign-in answer, unknown email included, cost the same work.
        _computations = meters.Create(typeof(PasswordHasher).Namespace!).CreateCounter<long>(
            "accounts.argon2.computations", "{computation}", "Argon2id computations: password hashes and verifications");
        var slots = _options.MaxConcurrentHashes > 0 ? _options.MaxConcurrentHashes : Environment.ProcessorCount;
        _concurrency = new SemaphoreSlim(slots, slots);
        _maxQueued = _options.MaxQueuedHashes;
    }

    public async Task<string> HashAsync(string password, CancellationToken cancellationToken = default)
    {
        var parameters = new Argon2Parameters(_options.MemoryKiB, _options.Iterations, _options.Parallelism);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = await InSlotAsync(() => Argon2Computation.Hash(Bytes(password), salt, parameters, HashBytes), cancellationToken);
        return $"$argon2id$v=19$m={parameters.MemoryKiB},t={parameters.Iterations},p={parameters.Parallelism}" +
            $"${ToBase64(salt)}${ToBase64(hash)}";
    }

    public async Task<PasswordCheck> VerifyAsync(string password, string phcHash, CancellationToken cancellationToken = default)
    {
        if (!TryParse(phcHash, out var parameters, out var salt, out var expected))
        {
            return PasswordCheck.Failed;
        }
        if (!await InSlotAsync(() => Argon2Computation.Verify(Bytes(password), phcHash, salt, parameters, expected), cancellationToken))
        {
            return PasswordCheck.Failed;
        }
        var current = new Argon2Parameters(_options.MemoryKiB, _options.Iterations, _options.Parallelism);
        return parameters == current && expected.Length == HashBytes && salt.Length == SaltBytes
            ? PasswordCheck.Success
            : PasswordCheck.SuccessRehashNeeded;
    }

    // Spends the same work as a real verification, for emails that have no account, so the
    // response time does not reveal which addresses are registered. The dummy hash is random
    // bytes in the PHC form, not hashed: making it would double the first unknown email's work.
    public async Task VerifyDummyAsync(string password, CancellationToken cancellationToken = default)
    {
        _dummyHash ??= $"$argon2id$v=19$m={_options.MemoryKiB},t={_options.Iterations},p={_options.Parallelism}" +
            $"${ToBase64(RandomNumberGenerator.GetBytes(SaltBytes))}${ToBase64(RandomNumberGenerator.GetBytes(HashBytes))}";
        await VerifyAsync(password, _dummyHash, cancellationToken);
    }

    // NFC: the same password typed on another keyboard or system gives the same bytes.
    private static byte[] Bytes(string password) => Encoding.UTF8.GetBytes(PasswordPolicy.Normalize(password));

    // Runs one Argon2id computation in a slot of MaxConcurrentHashes.
    private async Task<T> InSlotAsync<T>(Func<T> computation, CancellationToken cancellationToken)
    {
        if (!_concurrency.Wait(0))
        {
            // Every slot is busy: wait in a bounded queue, so a burst gets fast refusals
            // (a 503 page, see TryAgainLater) instead of making every sign-in slow.
            if (Interlocked.Increment(ref _queued) > _maxQueued)
            {
                Interlocked.Decrement(ref _queued);
                throw new PasswordHasherBusyException();
            }
            try
            {
                await _concurrency.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _queued);
            }
        }
        try
        {
            var result = computation();
            _computations.Add(1);
            return result;
        }
        finally
        {
            _concurrency.Release();
        }
    }

    private static bool TryParse(string phc, out Argon2Parameters parameters, out byte[] salt, out byte[] hash)
    {
        parameters = default;
        salt = [];
        hash = [];
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        var parts = phc.Split('$');
        if (parts.Length != 6 || parts[0].Length != 0 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            return false;
        }
        int? memory = null, iterations = null, parallelism = null;
        foreach (var pair in parts[3].Split(','))
        {
            var (name, value) = (pair.Split('=', 2) is [var n, var v] ? (n, v) : ("", ""));
            if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number <= 0)
            {
                return false;
            }
            switch (name)
            {
                case "m": memory = number; break;
                case "t": iterations = number; break;
                case "p": parallelism = number; break;
                default: return false;
            }
        }
        if (memory is null || iterations is null || parallelism is null || memory > 4_194_304 || iterations > 100 || parallelism > 64)
        {
            return false;
        }
        try
        {
            salt = FromBase64(parts[4]);
            hash = FromBase64(parts[5]);
        }
        catch (FormatException)
        {
            return false;
        }
        parameters = new Argon2Parameters(memory.Value, iterations.Value, parallelism.Value);
        return salt.Length >= 8 && hash.Length >= 16;
    }

    private static string ToBase64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromBase64(string text) =>
        Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));

    public void Dispose() => _concurrency.Dispose();
}

// Thrown when MaxQueuedHashes requests already wait for a hashing slot.
public class PasswordHasherBusyException() : Exception("Too many passwords are being checked at once; try again in a few seconds.");

public enum PasswordCheck
{
    Failed,
    Success,
    // Correct, but hashed with older cost settings: store a fresh hash now that we know the password.
    SuccessRehashNeeded,
}
