using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Specs.Support;

// A self-signed RSA certificate written as a password-protected PFX in its own temporary folder,
// as an operator would make one with openssl (see the README), and the settings that point the
// app at it.
public sealed class TestCertificate : IDisposable
{
    public const string Password = "pfx password for the specs";

    private readonly string _folder = Directory.CreateTempSubdirectory("specs-keyring-").FullName;

    public TestCertificate(string name = "Specs key ring")
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Thumbprint = certificate.Thumbprint;
        PfxPath = Path.Combine(_folder, "keyring.pfx");
        File.WriteAllBytes(PfxPath, certificate.Export(X509ContentType.Pfx, Password));
    }

    public string PfxPath { get; }

    public string Thumbprint { get; }

    public Dictionary<string, string> Settings() => new()
    {
        ["DataProtection:Certificate:Path"] = PfxPath,
        ["DataProtection:Certificate:Password"] = Password,
    };

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
