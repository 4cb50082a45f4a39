using Microsoft.Extensions.DependencyInjection;
using NremNet.Node.Hosting;
using NremNet.Node.Peers;

namespace NremNet.Node.Referrals;

/// <summary>Registers transnational referrals: their tables, commands, queries, inbox and outbox, delivery, retention, and their services.</summary>
internal static class ReferralsRegistration
{
    /// <summary>
    /// The referral tables, the officers' commands and queries, the inbox of peers' messages and the outbox, outbox
    /// delivery and retention (both running in the background), the peer API's <c>nremnet.referrals.v1.ReferralService</c>
    /// and the user API's <c>nremnet.local.v1.ReferralService</c> (its refusals answered by <see cref="ReferralRefusals"/>).
    /// </summary>
    public static IServiceCollection AddReferrals(this IServiceCollection services)
    {
        services.AddSingleton<ReferralSignal>();
        services.AddSingleton<ReferralDatabase>();
        services.AddSingleton<ReferralOutbox>();
        services.AddSingleton<ReferralQueries>();
        services.AddSingleton<ReferralCommands>();
        services.AddSingleton<ReferralInbox>();
        services.AddPeerService<ReferralPeerService>();
        services.AddSingleton<ReferralDelivery>();
        services.AddHostedService(static sp => sp.GetRequiredService<ReferralDelivery>());
        services.AddSingleton<ReferralRetention>();
        services.AddHostedService(static sp => sp.GetRequiredService<ReferralRetention>());
        services.AddSingleton<ReferralUserService>();
        services.AddRefusals<ReferralUserService, ReferralRefusals>();
        return services;
    }
}
