using System.CommandLine;
using NremNet.Cli;
using NremNet.Cli.Cli;

var context = new CliContext(new ConsoleOutput(Console.Out, Console.Error), TimeProvider.System);

// Ctrl+C and SIGTERM cancel the running command, which then has this long to stop what it started.
return await CliApplication.Create(context).Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
