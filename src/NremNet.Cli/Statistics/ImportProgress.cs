using System.Globalization;
using NremNet.Contracts.Local.V1;
using Spectre.Console;

namespace NremNet.Cli.Statistics;

/// <summary>Where an import reports how far it got: bytes sent, then the node's phases.</summary>
internal interface IImportProgress
{
    /// <summary>Bytes of the file sent so far.</summary>
    void Sent(long bytes);

    /// <summary>A progress message of the node (receiving, validating, storing, protecting, committing, done).</summary>
    void Node(ImportDataResponse step);
}

/// <summary>
/// An import's progress on standard error: Spectre progress bars on a terminal (the bytes sent, then one bar per phase
/// of the node), otherwise a plain line when a phase starts.
/// </summary>
internal static class ImportProgress
{
    /// <summary>Runs the import, showing its progress.</summary>
    public static async Task<T> RunAsync<T>(StatisticsTerminal terminal, string title, long totalBytes, Func<IImportProgress, Task<T>> work)
    {
        if (!terminal.Interactive)
        {
            await terminal.Error.WriteLineAsync($"{title} ({Bytes(totalBytes)})…").ConfigureAwait(false);
            return await work(new Lines(terminal.Error)).ConfigureAwait(false);
        }

        return await terminal.ErrorConsole().Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bars = new Bars(context, title, totalBytes);
                var result = await work(bars).ConfigureAwait(false);
                bars.Finish();
                return result;
            }).ConfigureAwait(false);
    }

    /// <summary>A size for people: bytes, KiB or MiB.</summary>
    public static string Bytes(long bytes) =>
        bytes < 1024 ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
            : bytes < 1024 * 1024 ? (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB"
            : (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>What a phase of the node is called on screen.</summary>
    public static string PhaseTitle(string phase) => phase switch
    {
        "validating" => "Validating every row",
        "storing" => "Storing",
        "protecting" => "Protecting the figures (suppression audit)",
        "committing" => "Committing",
        _ => char.ToUpperInvariant(phase[0]) + phase[1..],
    };

    // Bytes sent and "receiving" are the same bar: the node acknowledges what it got.
    private static bool Shown(string phase) => phase is not ("receiving" or "done" or "");

    private sealed class Lines(TextWriter error) : IImportProgress
    {
        private readonly Lock _gate = new();
        private string _phase = "sending";

        public void Sent(long bytes)
        {
        }

        public void Node(ImportDataResponse step)
        {
            lock (_gate)
            {
                if (!Shown(step.Phase) || step.Phase == _phase)
                {
                    return;
                }

                _phase = step.Phase;
                error.WriteLine("  " + PhaseTitle(step.Phase).ToLowerInvariant() + (step.Total > 1 && step.Phase != "validating" ? FormattableString.Invariant($" ({step.Total})") : string.Empty));
            }
        }
    }

    private sealed class Bars : IImportProgress
    {
        private readonly ProgressContext _context;
        private readonly Lock _gate = new();
        private readonly ProgressTask _sending;
        private ProgressTask? _current;
        private string _phase = "sending";

        public Bars(ProgressContext context, string title, long totalBytes)
        {
            _context = context;
            _sending = context.AddTask(Markup.Escape(title), maxValue: Math.Max(1, totalBytes));
        }

        public void Sent(long bytes) => _sending.Value = bytes;

        public void Node(ImportDataResponse step)
        {
            lock (_gate)
            {
                if (!Shown(step.Phase))
                {
                    return;
                }

                if (step.Phase != _phase)
                {
                    Complete(_sending);
                    if (_current is not null)
                    {
                        Complete(_current);
                    }

                    _phase = step.Phase;
                    _current = _context.AddTask(Markup.Escape(PhaseTitle(step.Phase)), maxValue: Math.Max(1, step.Total));
                    _current.IsIndeterminate = step.Total <= 0;
                }

                if (step.Total > 0)
                {
                    _current!.MaxValue = step.Total;
                    _current.IsIndeterminate = false;
                    _current.Value = step.Done;
                }
            }
        }

        public void Finish()
        {
            lock (_gate)
            {
                Complete(_sending);
                if (_current is not null)
                {
                    Complete(_current);
                }
            }
        }

        private static void Complete(ProgressTask task)
        {
            task.IsIndeterminate = false;
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
