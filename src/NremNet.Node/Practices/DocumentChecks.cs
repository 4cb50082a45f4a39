using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Google.Protobuf;
using NremNet.Contracts.Practices.V1;
using NremNet.Domain.Documents;
using NremNet.Domain.Practices;
using NremNet.Domain.Questions;
using NremNet.Domain.Referrals;
using NremNet.Domain.Pki;

namespace NremNet.Node.Practices;

/// <summary>Why a document version was not stored.</summary>
internal enum DocumentRefusalKind
{
    /// <summary>The bytes are not a well-formed signed document.</summary>
    Malformed,

    /// <summary>The signature does not hold, or the signer is not the owner as the directory lists it.</summary>
    Forged,

    /// <summary>The owner is not an active member: its new versions are not taken.</summary>
    OwnerInactive,

    /// <summary>The content is not a valid document of its kind, or does not match its envelope.</summary>
    InvalidContent,

    /// <summary>Another version with the same number, a broken chain, or a version after an erasure.</summary>
    Conflict,

    /// <summary>A version whose predecessor is not held: taken later, when the predecessor has come.</summary>
    OutOfOrder,

    /// <summary>An answer whose question is not held yet: taken later.</summary>
    QuestionMissing,
}

/// <summary>A version refused, and why.</summary>
internal sealed class DocumentRefusedException(DocumentRefusalKind kind, string message) : Exception(message)
{
    /// <summary>What kind of refusal.</summary>
    public DocumentRefusalKind Kind { get; } = kind;

    /// <summary>Whether the version may be taken later (its predecessor or question has not come yet).</summary>
    public bool IsTransient => Kind is DocumentRefusalKind.OutOfOrder or DocumentRefusalKind.QuestionMissing;

    /// <summary>The audit code of the refusal.</summary>
    public string Code => Kind switch
    {
        DocumentRefusalKind.Malformed => "malformed",
        DocumentRefusalKind.Forged => "forged",
        DocumentRefusalKind.OwnerInactive => "owner-inactive",
        DocumentRefusalKind.InvalidContent => "invalid-content",
        DocumentRefusalKind.Conflict => "conflict",
        DocumentRefusalKind.OutOfOrder => "out-of-order",
        _ => "question-missing",
    };
}

/// <summary>A signed version whose signature, signer and content were checked, with its content read.</summary>
internal sealed record CheckedDocument(SignedDocument Signed, DocumentEnvelope Envelope, string Digest, string Text, Practice? Practice, NetworkQuestion? Question)
{
    /// <summary>The document's id.</summary>
    public string DocumentId => Envelope.DocumentId;

    /// <summary>The owner's country.</summary>
    public string Owner => Envelope.OwnerCountry;

    /// <summary>When the owner signed it.</summary>
    public DateTimeOffset SignedAt => Envelope.SignedAt.ToDateTimeOffset();
}

/// <summary>
/// The checks of a signed document version that need no database: the envelope is well formed; the signer's certificate
/// is the one the directory lists for the owner country (so it chains to the network CA and names that country); the
/// signature over the envelope holds; the content is a valid document of its kind whose id is the envelope's. What the
/// version must be next to the versions already held is checked by <see cref="DocumentStore"/>.
/// </summary>
internal static partial class DocumentChecks
{
    /// <summary>At most this many bytes of content (a practice file is far smaller; attachments travel apart).</summary>
    public const int MaxContentBytes = 512 * 1024;

    /// <summary>SHA-256 (lower-case hex) of an envelope's bytes: what the next version's previous_digest names.</summary>
    public static string DigestOf(ByteString envelope) => Convert.ToHexStringLower(SHA256.HashData(envelope.Span));

    /// <summary>Signs <paramref name="envelope"/> with this node's certificate key.</summary>
    public static SignedDocument Sign(DocumentEnvelope envelope, X509Certificate2 signer)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(signer);
        var bytes = envelope.ToByteArray();
        using var key = signer.GetECDsaPrivateKey() ?? throw new InvalidOperationException($"The certificate '{signer.Subject}' has no ECDSA private key to sign with.");
        return new SignedDocument
        {
            Envelope = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            SignerCertificate = ByteString.CopyFrom(signer.RawData),
        };
    }

    /// <summary>
    /// Opens a signed version: every check but those against the versions held. <paramref name="certificateOf"/> gives
    /// the certificate the directory lists for an owner country, or why there is none.
    /// </summary>
    /// <exception cref="DocumentRefusedException">A check failed.</exception>
    public static CheckedDocument Open(SignedDocument signed, Func<string, (X509Certificate2? Certificate, string Problem)> certificateOf, long maxAttachmentBytes)
    {
        ArgumentNullException.ThrowIfNull(signed);
        ArgumentNullException.ThrowIfNull(certificateOf);
        DocumentEnvelope envelope;
        try
        {
            envelope = DocumentEnvelope.Parser.ParseFrom(signed.Envelope);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new DocumentRefusedException(DocumentRefusalKind.Malformed, "The envelope is not a DocumentEnvelope: " + ex.Message);
        }

        CheckEnvelope(envelope);
        var (certificate, problem) = certificateOf(envelope.OwnerCountry);
        if (certificate is null)
        {
            throw new DocumentRefusedException(DocumentRefusalKind.OwnerInactive, $"{envelope.OwnerCountry} owns document {envelope.DocumentId}, but {problem}.");
        }

        if (!signed.SignerCertificate.Span.SequenceEqual(certificate.RawData))
        {
            var claimed = SignerCountry(signed.SignerCertificate);
            throw new DocumentRefusedException(DocumentRefusalKind.Forged,
                $"Version {envelope.Version} of {envelope.DocumentId} claims owner {envelope.OwnerCountry} but is signed by {claimed}, not the certificate the directory lists for {envelope.OwnerCountry}.");
        }

        if (!ReferralCrypto.Verify(signed.Envelope.Span, signed.Signature.Span, certificate))
        {
            throw new DocumentRefusedException(DocumentRefusalKind.Forged, $"The signature of version {envelope.Version} of {envelope.DocumentId} does not hold: the envelope was altered or not signed by {envelope.OwnerCountry}.");
        }

        var text = Encoding.UTF8.GetString(envelope.Content.Span);
        var (practice, question) = ReadContent(envelope, text, maxAttachmentBytes);
        return new CheckedDocument(signed, envelope, DigestOf(signed.Envelope), text, practice, question);
    }

    /// <summary>Who a certificate names, for a refusal's message.</summary>
    private static string SignerCountry(ByteString der)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der.Span);
            return "a certificate of " + (NetworkIdentity.Read(certificate).Country ?? "no country");
        }
        catch (CryptographicException)
        {
            return "an unreadable certificate";
        }
    }

    private static void CheckEnvelope(DocumentEnvelope envelope)
    {
        var problems = new List<string>();
        if (!IsDocumentId(envelope.DocumentId))
        {
            problems.Add($"document_id '{Shown(envelope.DocumentId)}' is not an id of 3 to 64 letters, digits, '-', '_' or '.'");
        }
        if (envelope.OwnerCountry.Length != 2 || !envelope.OwnerCountry.All(char.IsAsciiLetterUpper))
        {
            problems.Add($"owner_country '{Shown(envelope.OwnerCountry)}' is not an ISO 3166-1 alpha-2 code");
        }

        if (envelope.Kind is not (DocumentKind.Practice or DocumentKind.Question or DocumentKind.Answer))
        {
            problems.Add($"kind {envelope.Kind} is not a practice, question or answer");
        }

        if (envelope.Version < 1)
        {
            problems.Add($"version {envelope.Version} is not 1 or more");
        }

        if (envelope.State is not (DocumentState.Published or DocumentState.Withdrawn or DocumentState.Erased))
        {
            problems.Add($"state {envelope.State} is not published, withdrawn or erased");
        }

        if (envelope.SignedAt is null)
        {
            problems.Add("signed_at is missing");
        }

        if (envelope.Content.Length > MaxContentBytes)
        {
            problems.Add($"the content is {envelope.Content.Length} bytes, more than {MaxContentBytes}");
        }

        if (envelope.State == DocumentState.Erased ? envelope.Content.Length > 0 || envelope.SealedForAsker.Length > 0 || envelope.SealedForOwner.Length > 0 : envelope.Content.Length == 0)
        {
            problems.Add(envelope.State == DocumentState.Erased ? "an erasure carries content" : "the content is empty");
        }

        if (envelope.State != DocumentState.Published && string.IsNullOrWhiteSpace(envelope.Reason))
        {
            problems.Add("a withdrawal or erasure needs its reason");
        }

        if (envelope.Reason.Length > 2000)
        {
            problems.Add("the reason is longer than 2000 characters");
        }

        if (envelope.Version == 1 ? envelope.PreviousDigest.Length != 0 : envelope.PreviousDigest.Length != 32 && envelope.State != DocumentState.Erased)
        {
            problems.Add(envelope.Version == 1 ? "version 1 names a previous version" : "previous_digest is not a SHA-256");
        }

        if (envelope.Kind == DocumentKind.Answer
            ? envelope.SubjectDocumentId.Length == 0 || envelope.AskerCountry.Length != 2
            : envelope.SubjectDocumentId.Length > 0 || envelope.AskerCountry.Length > 0 || envelope.SealedForAsker.Length > 0 || envelope.SealedForOwner.Length > 0)
        {
            problems.Add(envelope.Kind == DocumentKind.Answer ? "an answer names no question or asker" : "only an answer names a question, an asker or sealed content");
        }

        if ((envelope.SealedForAsker.Length == 0) != (envelope.SealedForOwner.Length == 0))
        {
            problems.Add("items sealed for the asker are sealed for the owner too, or neither");
        }

        if (problems.Count > 0)
        {
            throw new DocumentRefusedException(DocumentRefusalKind.Malformed, $"Document {Shown(envelope.DocumentId)} version {envelope.Version}: {string.Join("; ", problems)}.");
        }
    }

    /// <summary>Reads a practice or a question (an answer is read against its question, by the store).</summary>
    private static (Practice? Practice, NetworkQuestion? Question) ReadContent(DocumentEnvelope envelope, string text, long maxAttachmentBytes)
    {
        if (envelope.State == DocumentState.Erased)
        {
            return (null, null);
        }

        switch (envelope.Kind)
        {
            case DocumentKind.Practice:
                var practice = PracticeFile.Parse(text, maxAttachmentBytes);
                Require(envelope, practice.Problems, practice.Value?.Id);
                return (practice.Value, null);
            case DocumentKind.Question:
                var question = QuestionFile.Parse(text);
                Require(envelope, question.Problems, question.Value?.Id);
                if (question.Value!.AskingCountry != envelope.OwnerCountry)
                {
                    throw new DocumentRefusedException(DocumentRefusalKind.InvalidContent, $"Question {envelope.DocumentId} is owned by {envelope.OwnerCountry} but names {Shown(question.Value.AskingCountry)} as the asker.");
                }

                return (null, question.Value);
            default:
                return (null, null);
        }
    }

    /// <summary>Refuses content with problems, or whose id is not the envelope's.</summary>
    public static void Require(DocumentEnvelope envelope, IReadOnlyList<DocumentProblem> problems, string? contentId)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count > 0)
        {
            throw new DocumentRefusedException(DocumentRefusalKind.InvalidContent,
                $"Version {envelope.Version} of {envelope.DocumentId} is not a valid {envelope.Kind.ToString().ToLowerInvariant()}: {string.Join("; ", problems.Take(5).Select(p => p.ToString()))}.");
        }

        if (contentId is not null && contentId != envelope.DocumentId)
        {
            throw new DocumentRefusedException(DocumentRefusalKind.InvalidContent, $"Version {envelope.Version} of {envelope.DocumentId} holds the content of {Shown(contentId)}.");
        }
    }

    /// <summary>Whether <paramref name="id"/> has the shape of a document id (e.g. <c>NL-PR-2026-0001</c>).</summary>
    public static bool IsDocumentId(string id) => IdPattern().IsMatch(id);

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")]
    private static partial System.Text.RegularExpressions.Regex IdPattern();

    /// <summary>A value from outside, bounded for a message.</summary>
    public static string Shown(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
