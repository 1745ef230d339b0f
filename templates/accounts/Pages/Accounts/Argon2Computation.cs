#if (libsodium)
using Geralt;
#else
using System.Security.Cryptography;
using Konscious.Security.Cryptography;
#endif

namespace ModularUsersApp.Pages.Accounts;

#if (libsodium)
// The Argon2id function itself, by libsodium (native code, through the Geralt package): about three
// times the speed of the managed implementation, with its memory outside the managed heap.
// PasswordHasher does the rest (PHC strings, salts, limits, rehashing). It verifies every stored
// hash, and makes new ones with parallelism 1 only (Accounts:Argon2:Parallelism, the default).
public static class Argon2Computation
{
    // Why new hashes cannot be made with these settings; null when they can.
    public static string? Unsupported(Argon2Parameters parameters) =>
        parameters.Parallelism == 1 ? null : "with libsodium, Parallelism must be 1";

    // A new hash: the salt is PasswordHasher's, 16 bytes.
    public static byte[] Hash(byte[] password, byte[] salt, Argon2Parameters parameters, int length)
    {
        var hash = new byte[length];
        Argon2id.DeriveKey(hash, password, salt, parameters.Iterations, parameters.MemoryKiB * 1024);
        return hash;
    }

    // libsodium reads the PHC string itself, so hashes of any salt length and parallelism verify;
    // it compares in constant time.
    public static bool Verify(byte[] password, string phc, byte[] salt, Argon2Parameters parameters, byte[] expected)
    {
        try
        {
            return Argon2id.VerifyHash(phc, password);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            return false;
        }
    }
}
#else
// The Argon2id function itself, by Konscious.Security.Cryptography.Argon2 (managed code).
// PasswordHasher does the rest (PHC strings, salts, limits, rehashing). `dotnet new mu-accounts
// --hasher libsodium` gives a native implementation instead, about three times faster; the stored
// hashes are the same, so an app can switch without a migration.
public static class Argon2Computation
{
    // Why new hashes cannot be made with these settings; null when they can.
    public static string? Unsupported(Argon2Parameters parameters) => null;

    public static byte[] Hash(byte[] password, byte[] salt, Argon2Parameters parameters, int length)
    {
        using var argon2 = new Argon2id(password)
        {
            Salt = salt,
            MemorySize = parameters.MemoryKiB,
            Iterations = parameters.Iterations,
            DegreeOfParallelism = parameters.Parallelism,
        };
        return argon2.GetBytes(length);
    }

    public static bool Verify(byte[] password, string phc, byte[] salt, Argon2Parameters parameters, byte[] expected) =>
        CryptographicOperations.FixedTimeEquals(Hash(password, salt, parameters, expected.Length), expected);
}
#endif

// The cost of one hash, as the PHC string's m, t and p say it.
public readonly record struct Argon2Parameters(int MemoryKiB, int Iterations, int Parallelism);
