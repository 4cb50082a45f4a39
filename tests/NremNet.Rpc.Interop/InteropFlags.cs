using System.Globalization;

namespace NremNet.Rpc.Interop;

/// <summary>Flags in the interop harness's style: <c>--name=value</c>, <c>--name value</c>, or a bare <c>--name</c> for true.</summary>
internal sealed class InteropFlags
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private InteropFlags()
    {
    }

    public static InteropFlags Parse(IReadOnlyList<string> args, IReadOnlySet<string> booleans)
    {
        var flags = new InteropFlags();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{arg}': flags look like --name=value.");
            }

            var body = arg[2..];
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                flags._values[body[..equals]] = body[(equals + 1)..];
            }
            else if (booleans.Contains(body) && (i + 1 >= args.Count || args[i + 1] is not ("true" or "false")))
            {
                flags._values[body] = "true";
            }
            else if (i + 1 < args.Count)
            {
                flags._values[body] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Flag --{body} needs a value.");
            }
        }

        return flags;
    }

    public string? String(string name) => _values.GetValueOrDefault(name);

    public string String(string name, string fallback) => _values.GetValueOrDefault(name) ?? fallback;

    public bool Bool(string name) => _values.TryGetValue(name, out var value) && value is "true" or "1" or "yes";

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var value)
        ? int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture)
        : fallback;
}
