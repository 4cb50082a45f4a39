using Microsoft.Extensions.DependencyInjection;
using NremNet.Domain.Statistics.Disclosure;
using NremNet.Node.Hosting;
using NremNet.Node.Peers;
using NremNet.Solvers;

namespace NremNet.Node.Statistics;

/// <summary>Registers statistics: the protected store, agreements, imports, federated queries, and their services.</summary>
internal static class StatisticsRegistration
{
    /// <summary>
    /// The statistics store (protected by the OR-Tools solver), the engine answering queries, agreements, the importer,
    /// federated queries, the peer API's <c>AggregateService</c> and the user API's <c>StatisticsService</c> and
    /// <c>AgreementService</c> (the rules' refusals answered by <see cref="StatisticsRefusals"/>).
    /// </summary>
    public static IServiceCollection AddStatistics(this IServiceCollection services)
    {
        services.AddSingleton<IIntegerSolver>(static _ => new OrToolsSolver());
        services.AddSingleton<StatisticsStore>();
        services.AddSingleton<StatisticsEngine>();
        services.AddSingleton<Agreements>();
        services.AddSingleton<DataImporter>();
        services.AddSingleton<FederatedQueries>();
        services.AddPeerService<AggregateService>();
        services.AddSingleton<StatisticsService>();
        services.AddSingleton<AgreementService>();
        services.AddRefusals<StatisticsService, StatisticsRefusals>();
        services.AddRefusals<AgreementService, StatisticsRefusals>();
        return services;
    }
}
