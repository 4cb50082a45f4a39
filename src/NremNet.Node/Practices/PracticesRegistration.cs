using Microsoft.Extensions.DependencyInjection;
using NremNet.Node.Peers;

namespace NremNet.Node.Practices;

/// <summary>Registers good practices and network questions: the document store, replication, and their services.</summary>
internal static class PracticesRegistration
{
    /// <summary>
    /// The store of signed documents and its search index, the replication that follows every peer's feed (in the
    /// background), the peer API's <c>nremnet.practices.v1.DocumentReplicationService</c>, and the user API's
    /// <c>nremnet.local.v1.PracticeService</c> and <c>QuestionService</c>.
    /// </summary>
    public static IServiceCollection AddPractices(this IServiceCollection services)
    {
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<DocumentReplication>();
        services.AddHostedService(static sp => sp.GetRequiredService<DocumentReplication>());
        services.AddPeerService<DocumentPeerService>();
        services.AddSingleton<PracticeUserService>();
        services.AddSingleton<QuestionUserService>();
        return services;
    }
}
