using System.Globalization;
using NremNet.Disclosure.Benchmarks;

// measure [--countries NL,SE,...] [--records 1000000] [--years 2015-2024] [--parallel true] [--label TEXT] --out FILE
//   Protects the sample nodes' years and RECORDS synthetic records (NL profile) with this build's disclosure control:
//   the working tree's, or, built with -p:DisclosureSource=<other tree>/src, the commit before issue 11's. Figures only.
// compare --before FILE --after FILE --out FILE
//   Prints a table per import (before and after side by side, with the ratios) and writes result.json.
// run.sh builds both variants and runs the lot.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
string Required(string name) => Option(name) ?? throw new ArgumentException($"{name} is required.");

try
{
    switch (args.FirstOrDefault())
    {
        case "measure":
            var countries = (Option("--countries") ?? "NL,SE,FI,BG,NG,NP,AR").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => c.ToUpperInvariant()).ToList();
            var records = int.Parse(Option("--records") ?? "1000000", CultureInfo.InvariantCulture);
            var years = Years(Option("--years") ?? $"{Measurement.FirstYear}-{Measurement.LastYear}");
            var parallel = bool.Parse(Option("--parallel") ?? "true");
            var figures = await Measurement.RunAsync(countries, records, years, parallel, Option("--label") ?? Protector.Variant, cancel.Token);
            await FiguresJson.WriteAsync(Required("--out"), figures, cancel.Token);
            return 0;
        case "compare":
            var before = await FiguresJson.ReadAsync<VariantFigures>(Required("--before"), cancel.Token);
            var after = await FiguresJson.ReadAsync<VariantFigures>(Required("--after"), cancel.Token);
            await FiguresJson.WriteAsync(Required("--out"), Comparison.Compare(before, after, Console.Out), cancel.Token);
            return 0;
        default:
            Console.Error.WriteLine("usage: NremNet.Disclosure.Benchmarks measure [--countries NL,SE,FI,BG,NG,NP,AR] [--records 1000000] [--years 2015-2024] [--parallel true] [--label TEXT] --out FILE");
            Console.Error.WriteLine("       NremNet.Disclosure.Benchmarks compare --before FILE --after FILE --out FILE");
            return 2;
    }
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}

// "2015-2024", "2024" or "2015,2020-2022": years of the sample data (2015-2024).
static IReadOnlyList<int> Years(string text)
{
    var years = new SortedSet<int>();
    foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        var bounds = part.Split('-', 2);
        var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
        var last = bounds.Length == 2 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
        if (first < Measurement.FirstYear || last > Measurement.LastYear || last < first)
        {
            throw new ArgumentException($"Years '{part}': the sample data covers {Measurement.FirstYear}-{Measurement.LastYear}.");
        }

        for (var year = first; year <= last; year++)
        {
            years.Add(year);
        }
    }

    return [.. years];
}
