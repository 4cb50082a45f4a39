using System.Text.RegularExpressions;
using NremNet.Contracts.Directory.V1;
using NremNet.Domain.Countries;

namespace NremNet.Domain.Membership;

/// <summary>A problem with one field of a request, for a person to fix.</summary>
/// <param name="Field">Path of the field, e.g. <c>focal_points[0].email</c>.</param>
/// <param name="Description">What is wrong and what is expected.</param>
public sealed record FieldProblem(string Field, string Description)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Description}";
}

/// <summary>Checks what a node states about itself when it applies to join.</summary>
public static partial class MemberApplications
{
    /// <summary>Every problem with an application; empty when it is valid.</summary>
    public static IReadOnlyList<FieldProblem> Validate(MemberApplication? application)
    {
        var problems = new List<FieldProblem>();
        if (application is null)
        {
            problems.Add(new FieldProblem("application", "is required."));
            return problems;
        }

        if (!Country.IsValidCode(application.Country))
        {
            problems.Add(new FieldProblem("country", $"'{application.Country}' is not an ISO 3166-1 alpha-2 code in upper case, e.g. NL."));
        }

        if (string.IsNullOrWhiteSpace(application.MechanismName) || application.MechanismName.Length > 200)
        {
            problems.Add(new FieldProblem("mechanism_name", "is required, at most 200 characters."));
        }

        if (application.MechanismType == MechanismType.Unspecified || !Enum.IsDefined(application.MechanismType))
        {
            problems.Add(new FieldProblem("mechanism_type", "must be NATIONAL_RAPPORTEUR, COORDINATOR or EQUIVALENT_MECHANISM."));
        }

        if (!Uri.TryCreate(application.PeerEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps || endpoint.AbsolutePath != "/")
        {
            problems.Add(new FieldProblem("peer_endpoint", $"'{application.PeerEndpoint}' is not an https://host:port address; the peer API runs over TLS."));
        }

        if (!ThumbprintPattern().IsMatch(application.CertificateThumbprint ?? string.Empty))
        {
            problems.Add(new FieldProblem("certificate_thumbprint", "must be the certificate's SHA-256 thumbprint: 64 upper-case hexadecimal characters."));
        }

        for (var i = 0; i < application.Services.Count; i++)
        {
            if (!ServicePattern().IsMatch(application.Services[i]))
            {
                problems.Add(new FieldProblem($"services[{i}]", $"'{application.Services[i]}' is not a fully-qualified service name such as nremnet.federation.v1.FederationService."));
            }
        }

        for (var i = 0; i < application.FocalPoints.Count; i++)
        {
            var person = application.FocalPoints[i];
            if (string.IsNullOrWhiteSpace(person.Name))
            {
                problems.Add(new FieldProblem($"focal_points[{i}].name", "is required."));
            }

            if (!EmailPattern().IsMatch(person.Email ?? string.Empty))
            {
                problems.Add(new FieldProblem($"focal_points[{i}].email", $"'{person.Email}' is not an e-mail address."));
            }
        }

        return problems;
    }

    [GeneratedRegex("^[0-9A-F]{64}$")]
    private static partial Regex ThumbprintPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.[A-Z][A-Za-z0-9]*$")]
    private static partial Regex ServicePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
