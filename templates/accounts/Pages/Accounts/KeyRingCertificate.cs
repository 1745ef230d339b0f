using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// The Data Protection keys (they encrypt the sign-in cookie and what other modules protect with
// Data Protection) are rows of the users database. Without a certificate they are stored as plain
// XML, and a copy of the database is enough to forge cookies and decrypt those secrets. With one,
// each new key is encrypted with the certificate's public key, and only a process holding its
// private key reads it. Keys stored before the certificate was set stay as they were.
// In configuration:
//   "DataProtection": {
//     "Certificate": { "Path": "/run/secrets/keyring.pfx", "Password": "..." },
//     "PreviousCertificates": [ { "Path": "/run/secrets/keyring-2025.pfx", "Password": "..." } ]
//   }
// or "Certificate": { "Thumbprint": "...", "StoreLocation": "CurrentUser" } for the store's My folder.
// Put the password in user secrets or an environment variable (DataProtection__Certificate__Password).
// To make a certificate and its PFX:
//   export KEYRING_PFX_PASSWORD="$(openssl rand -base64 32)"
//   openssl req -x509 -newkey rsa:3072 -sha256 -days 3650 -nodes -subj "/CN=Data Protection key ring" -keyout keyring.key -out keyring.crt
//   openssl pkcs12 -export -inkey keyring.key -in keyring.crt -out keyring.pfx -passout env:KEYRING_PFX_PASSWORD
//   shred -u keyring.key
// Every instance needs the same certificate. Lose it and every cookie and protected secret is
// unreadable: keep a copy as carefully as a database backup. After replacing it, keep the old
// one in PreviousCertificates: the keys it encrypted are still needed.
public class KeyRingSettings
{
    public const string Section = "DataProtection";

    public CertificateSettings? Certificate { get; set; }

    // Read older keys only; new keys are encrypted with Certificate.
    public List<CertificateSettings> PreviousCertificates { get; set; } = [];

    public void ApplyTo(IDataProtectionBuilder dataProtection)
    {
        if (Certificate is null)
        {
            if (PreviousCertificates.Count > 0)
            {
                throw Invalid($"{Section}:PreviousCertificates is set but {Section}:Certificate is not: set the certificate that encrypts new keys.");
            }
            return;
        }
        dataProtection.ProtectKeysWithCertificate(Certificate.Load($"{Section}:Certificate"));
        if (PreviousCertificates.Count > 0)
        {
            dataProtection.UnprotectKeysWithAnyCertificate(
                [.. PreviousCertificates.Select((previous, i) => previous.Load($"{Section}:PreviousCertificates:{i}"))]);
        }
    }

    internal static InvalidOperationException Invalid(string message) => new($"The Data Protection key ring certificate is misconfigured. {message}");
}

public class CertificateSettings
{
    // A PFX (PKCS#12) file with the private key, and its password.
    public string? Path { get; set; }

    public string? Password { get; set; }

    // Or a certificate with its private key in the store's "My" folder.
    public string? Thumbprint { get; set; }

    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;

    public X509Certificate2 Load(string key)
    {
        var hasPath = !string.IsNullOrWhiteSpace(Path);
        var hasThumbprint = !string.IsNullOrWhiteSpace(Thumbprint);
        if (hasPath == hasThumbprint)
        {
            throw KeyRingSettings.Invalid(
                $"{key}: set Path (a PFX file, with its Password) or Thumbprint (a certificate in the store), not {(hasPath ? "both" : "neither")}.");
        }
        var certificate = hasPath ? FromFile(key, Path!) : FromStore(key, Thumbprint!);
        if (!certificate.HasPrivateKey || certificate.GetRSAPublicKey() is null)
        {
            throw KeyRingSettings.Invalid($"{key}: the certificate {certificate.Subject} must be an RSA certificate with its private key.");
        }
        return certificate;
    }

    private X509Certificate2 FromFile(string key, string path)
    {
        if (!File.Exists(path))
        {
            throw KeyRingSettings.Invalid($"{key}:Path: there is no file {System.IO.Path.GetFullPath(path)}.");
        }
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, Password);
        }
        catch (CryptographicException exception)
        {
            throw KeyRingSettings.Invalid($"{key}: {path} cannot be opened; is {key}:Password right, and is it a PFX file? ({exception.Message})");
        }
    }

    private X509Certificate2 FromStore(string key, string thumbprint)
    {
        // Thumbprints copied from a certificate viewer often carry spaces or invisible marks.
        var normalized = new string([.. thumbprint.Where(char.IsAsciiHexDigit)]);
        using var store = new X509Store(StoreName.My, StoreLocation);
        try
        {
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        }
        catch (CryptographicException exception)
        {
            throw NotFound(exception.Message);
        }
        var found = store.Certificates.Find(X509FindType.FindByThumbprint, normalized, validOnly: false);
        return found.Count > 0 ? found[0] : throw NotFound("");

        InvalidOperationException NotFound(string detail) => KeyRingSettings.Invalid(
            $"{key}:Thumbprint: there is no certificate with thumbprint {normalized} in {StoreLocation}/My. {detail}".TrimEnd());
    }
}

// The framework warns about unencrypted keys only when it creates one, which may be months ago.
// Outside Development this says so at every start: while the key ring has no protection, and,
// once it has, while keys made before the certificate are still stored unencrypted.
public class KeyRingStartupCheck(
    IOptions<KeyManagementOptions> keyManagement,
    IServiceScopeFactory scopes,
    IHostEnvironment environment,
    ILogger<KeyRingStartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsDevelopment())
        {
            return;
        }
        if (keyManagement.Value.XmlEncryptor is null)
        {
            Log.KeyRingUnprotected(logger, KeyRingSettings.Section);
            return;
        }
        // Runs after UsersDatabaseStartup has checked the database. An unencrypted key's XML holds
        // its <masterKey> in the clear; an encrypted one only <encryptedSecret>.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        var unencrypted = await db.DataProtectionKeys.CountAsync(k => k.Xml!.Contains("<masterKey"), cancellationToken);
        if (unencrypted > 0)
        {
            Log.KeysStoredBeforeCertificate(logger, unencrypted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
