using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace NremNet.Directory.Hosting;

/// <summary>Where the directory listens: an IP address, <c>localhost</c> or every address, and a port.</summary>
internal sealed record ListenAddress(IPAddress? Address, bool Localhost, int Port)
{
    /// <summary>Reads <c>host:port</c>; <paramref name="problem"/> says what is wrong when it cannot.</summary>
    public static bool TryParse(string? value, out ListenAddress? address, out string problem)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            problem = "is empty; give host:port, e.g. 127.0.0.1:7400";
            return false;
        }

        var separator = value.LastIndexOf(':');
        if (separator <= 0 || separator == value.Length - 1)
        {
            problem = $"'{value}' is not host:port, e.g. 127.0.0.1:7400";
            return false;
        }

        var host = value[..separator];
        if (!int.TryParse(value[(separator + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            problem = $"'{value}' has no valid port: use 0 to 65535 (0 picks a free port)";
            return false;
        }

        if (host == "*")
        {
            address = new ListenAddress(null, false, port);
        }
        else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            if (port == 0)
            {
                problem = $"'{value}': port 0 cannot be used with localhost; use 127.0.0.1:0";
                return false;
            }

            address = new ListenAddress(null, true, port);
        }
        else if (IPAddress.TryParse(host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host, out var ip) && (host.Contains(':', StringComparison.Ordinal) == host.StartsWith('[')))
        {
            address = new ListenAddress(ip, false, port);
        }
        else
        {
            problem = $"'{value}': the host must be an IP address ([::1] for IPv6), localhost or * (every address), not '{host}'";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    /// <summary>Adds the endpoint to Kestrel.</summary>
    public void Listen(KestrelServerOptions kestrel, Action<ListenOptions> configure)
    {
        if (Localhost)
        {
            kestrel.ListenLocalhost(Port, configure);
        }
        else if (Address is null)
        {
            kestrel.ListenAnyIP(Port, configure);
        }
        else
        {
            kestrel.Listen(Address, Port, configure);
        }
    }
}
