using System.CommandLine;
using Grpc.Core;
using NremNet.Cli.Profiles;
using NremNet.Hosting.Grpc;

namespace NremNet.Cli.Cli;

/// <summary>What every command shares: the output, the global options, profiles and the clock.</summary>
internal sealed class CliContext(ICliOutput output, TimeProvider time)
{
    /// <summary><c>--json</c>: write JSON for scripts instead of tables.</summary>
    public Option<bool> JsonOption { get; } = new("--json") { Description = "Write JSON for scripts instead of tables.", Recursive = true };

    /// <summary><c>--node XX</c>: the node (by country) to act on.</summary>
    public Option<string?> NodeOption { get; } = new("--node") { Description = "The node to act on, by country code (uses a saved profile for it).", Recursive = true };

    /// <summary><c>--profile NAME</c>: a saved profile by name.</summary>
    public Option<string?> ProfileOption { get; } = new("--profile") { Description = "A saved profile by name (see 'nremnet login').", Recursive = true };

    public ICliOutput Output { get; } = output;

    public TimeProvider Time { get; } = time;

    /// <summary>The profile store in use (see <see cref="ProfileStore.Locate"/>).</summary>
    public Func<ProfileStore> Profiles { get; init; } = ProfileStore.Locate;

    /// <summary>A connection to the node the command line names, as a user with <paramref name="role"/> (null: any role).</summary>
    public NodeConnection Connect(ParseResult parse, string? role) =>
        NodeConnection.Open(Profiles().Resolve(parse.GetValue(ProfileOption), parse.GetValue(NodeOption)?.ToUpperInvariant(), role));

    /// <summary>Runs a command's work, turning failures into a message and an exit code.</summary>
    public async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken, Func<ParseResult, CancellationToken, Task<int>> work)
    {
        Output.Json = parse.GetValue(JsonOption);
        try
        {
            return await work(parse, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            Output.Error(ex.Message);
            return ex.ExitCode;
        }
        catch (RpcException ex)
        {
            Output.Error(Describe(ex));
            return ExitCodes.For(ex.StatusCode);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Output.Error("Cancelled.");
            return 130;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or FormatException)
        {
            Output.Error(ex.Message);
            return ExitCodes.Failed;
        }
    }

    /// <summary>A failed call, for a person: the status, the message, and every field problem.</summary>
    public static string Describe(RpcException exception)
    {
        var text = exception.StatusCode switch
        {
            StatusCode.Unavailable => $"Could not reach the server: {exception.Status.Detail}",
            StatusCode.DeadlineExceeded => "The server did not answer in time.",
            _ => exception.Status.Detail,
        };
        var problems = exception.GetFieldViolations();
        return problems.Count == 0
            ? text
            : text + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => $"  - {p.Field}: {p.Description}"));
    }
}

/// <summary>A verb of the CLI: one class each, its options as fields, its work in <see cref="ExecuteAsync"/>.</summary>
internal abstract class VerbCommand : Command
{
    protected VerbCommand(CliContext context, string name, string description)
        : base(name, description)
    {
        Context = context;
        SetAction((parse, cancellationToken) => Context.RunAsync(parse, cancellationToken, ExecuteAsync));
    }

    protected CliContext Context { get; }

    protected ICliOutput Output => Context.Output;

    protected abstract Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken);
}
