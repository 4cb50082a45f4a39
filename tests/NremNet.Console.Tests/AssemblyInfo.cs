using NremNet.Console.Tests.Infrastructure;

// One federation and one browser for the whole assembly; tests run one at a time (two cores, a browser, three hosts).
[assembly: AssemblyFixture(typeof(ConsoleNetwork))]
[assembly: AssemblyFixture(typeof(ConsoleBrowser))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
