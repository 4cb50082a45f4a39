using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using NremNet.Contracts.Directory.V1;
using NremNet.Domain.Membership;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;

// snapshots --directory URL --pki DIR [--seconds S] [--concurrency C]
// Fetches the signed snapshot as fast as it can, as a node would (mutual TLS with a node certificate), and prints
// fetches per second; every tenth snapshot is verified against the network CA, as a node verifies each one.
if (args.Length == 0 || args[0] != "snapshots")
{
    Console.Error.WriteLine("usage: NremNet.Federation.Benchmarks snapshots --directory URL --pki DIR [--seconds 10] [--concurrency 16]");
    return 2;
}

string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
var directory = Option("--directory", "https://127.0.0.1:7400");
var pki = Option("--pki", ".state/federation/pki");
var seconds = int.Parse(Option("--seconds", "10"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Option("--concurrency", "16"), CultureInfo.InvariantCulture);

var credentials = NetworkCredentials.Load(Path.Combine(pki, "NL.crt"), Path.Combine(pki, "NL.key"), Path.Combine(pki, "ca.crt"), NetworkRole.Node, "NL", DateTimeOffset.UtcNow);
using var channel = NetworkChannel.Create(directory, credentials.ClientOptions());
var client = new DirectoryService.DirectoryServiceClient(channel);
await client.GetSnapshotAsync(new GetSnapshotRequest());

long fetches = 0, verified = 0, failures = 0;
var clock = Stopwatch.StartNew();
var duration = TimeSpan.FromSeconds(seconds);
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    while (clock.Elapsed < duration)
    {
        try
        {
            var snapshot = (await client.GetSnapshotAsync(new GetSnapshotRequest())).Snapshot;
            if (Interlocked.Increment(ref fetches) % 10 == 0)
            {
                if (SnapshotSigning.Verify(snapshot, credentials.Authority, DateTimeOffset.UtcNow).Trust != SnapshotTrust.Valid)
                {
                    Interlocked.Increment(ref failures);
                }

                Interlocked.Increment(ref verified);
            }
        }
        catch (RpcException)
        {
            Interlocked.Increment(ref failures);
        }
    }
}));

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fetches={fetches} verified={verified} failures={failures} seconds={clock.Elapsed.TotalSeconds:F2} fetches_per_second={fetches / clock.Elapsed.TotalSeconds:F0}"));
return failures == 0 ? 0 : 1;
