using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using ModularUsersApp.Pages.Accounts;

// dotnet HasherBench.dll <concurrent hashes> <seconds>: new hashes at the accounts module's
// default cost, that many at a time, for 2 s of warm-up and then the given seconds. Prints one
// line: hashes per second, the process's peak memory (MiB, Linux VmHWM) and gen-2 collections.
var concurrency = int.Parse(args[0]);
var measured = TimeSpan.FromSeconds(double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
var warmUp = TimeSpan.FromSeconds(2);
var parameters = new Argon2Parameters(19_456, 2, 1);
var password = Encoding.UTF8.GetBytes("correct horse battery staple");

var baseline = PeakMemoryMiB();
var stopwatch = Stopwatch.StartNew();
var counted = 0;
var gen2Before = 0;
var threads = Enumerable.Range(0, concurrency).Select(_ => new Thread(() =>
{
    while (stopwatch.Elapsed < warmUp + measured)
    {
        Argon2Computation.Hash(password, RandomNumberGenerator.GetBytes(16), parameters, 32);
        if (stopwatch.Elapsed > warmUp)
        {
            Interlocked.Increment(ref counted);
        }
    }
})).ToList();
threads.ForEach(thread => thread.Start());
Thread.Sleep(warmUp);
gen2Before = GC.CollectionCount(2);
threads.ForEach(thread => thread.Join());
var seconds = (stopwatch.Elapsed - warmUp).TotalSeconds;
Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
    $"hashes_per_second={counted / seconds:F1} peak_mib={PeakMemoryMiB():F0} baseline_mib={baseline:F0} gen2={GC.CollectionCount(2) - gen2Before}"));

static double PeakMemoryMiB() =>
    File.ReadLines("/proc/self/status").Where(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0).Single();
