using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Pki;
using NremNet.Domain.Referrals;

namespace NremNet.Domain.Tests.Referrals;

/// <summary>Node certificates made the way the network makes them: one CA, P-256 node certificates for NL, SE and DK.</summary>
public sealed class ReferralNodes : IDisposable
{
    public ReferralNodes()
    {
        var now = DateTimeOffset.UtcNow;
        Authority = NetworkCertificates.CreateAuthority("NremNet test CA", now, TimeSpan.FromDays(2));
        Netherlands = NetworkCertificates.IssueNode(Authority, "NL", ["nl.nremnet.test"], now, TimeSpan.FromDays(1));
        Sweden = NetworkCertificates.IssueNode(Authority, "SE", ["se.nremnet.test"], now, TimeSpan.FromDays(1));
        Denmark = NetworkCertificates.IssueNode(Authority, "DK", ["dk.nremnet.test"], now, TimeSpan.FromDays(1));
    }

    public X509Certificate2 Authority { get; }

    /// <summary>A: the sender.</summary>
    public X509Certificate2 Netherlands { get; }

    /// <summary>B: the receiver.</summary>
    public X509Certificate2 Sweden { get; }

    /// <summary>C: a third node.</summary>
    public X509Certificate2 Denmark { get; }

    public void Dispose()
    {
        Authority.Dispose();
        Netherlands.Dispose();
        Sweden.Dispose();
        Denmark.Dispose();
    }
}

public class ReferralCryptoTests(ReferralNodes nodes) : IClassFixture<ReferralNodes>
{
    private const string ReferralId = "0195c0de-0000-7000-8000-000000000001";
    private const string MessageId = "0195c0de-0000-7000-8000-0000000000a1";
    private static readonly byte[] Binding = ReferralCrypto.Binding(ReferralId, MessageId, "NL", "SE");

    [Fact]
    public void NodeCertificates_AreP256WithSignatureAndKeyAgreement()
    {
        var usage = nodes.Sweden.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages;

        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, usage);
        using var key = nodes.Sweden.GetECDsaPublicKey();
        Assert.Equal(256, key!.KeySize);
        Assert.True(nodes.Sweden.HasPrivateKey);
    }

    [Fact]
    public void Binding_IsTheFourPartsOnSeparateLines()
    {
        Assert.Equal(Encoding.UTF8.GetBytes($"{ReferralId}\n{MessageId}\nNL\nSE"), Binding);
    }

    [Fact]
    public void SealThenOpen_ByTheRecipient_GivesBackTheContent()
    {
        var content = Content(attachmentBytes: 100 * 1024);

        var sealedContent = ReferralCrypto.Seal(content, PublicOnly(nodes.Sweden), Binding);
        var opened = ReferralCrypto.Open(sealedContent, nodes.Sweden, Binding, ReferralContent.Parser);

        Assert.Equal(content, opened);
        Assert.Equal("Popescu", opened.PersonalData.FamilyName);
        Assert.Equal(100 * 1024, opened.Attachments[0].Content.Length);
        Assert.Equal(content.Attachments[0].Content, opened.Attachments[0].Content);
        Assert.Equal(nodes.Sweden.GetCertHashString(HashAlgorithmName.SHA256), sealedContent.RecipientThumbprint);
        Assert.Equal(12, sealedContent.Nonce.Length);
        Assert.Equal(content.CalculateSize() + 16, sealedContent.Ciphertext.Length);
        Assert.Equal(-1, sealedContent.Ciphertext.Span.IndexOf("Popescu"u8));
        Assert.Equal(-1, sealedContent.Ciphertext.Span.IndexOf(content.Attachments[0].Content.Span[..64]));
    }

    [Fact]
    public void Seal_EphemeralKey_IsAP256SubjectPublicKeyInfo()
    {
        var sealedContent = ReferralCrypto.Seal(Content(), nodes.Sweden, Binding);

        using var ephemeral = ECDiffieHellman.Create();
        ephemeral.ImportSubjectPublicKeyInfo(sealedContent.EphemeralPublicKey.Span, out var read);

        Assert.Equal(sealedContent.EphemeralPublicKey.Length, read);
        Assert.Equal(256, ephemeral.KeySize);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, ephemeral.ExportParameters(false).Curve.Oid.Value);
    }

    [Fact]
    public void Seal_TwiceTheSameContent_UsesAFreshKeyAndNonceEachTime()
    {
        var content = Content();

        var one = ReferralCrypto.Seal(content, nodes.Sweden, Binding);
        var two = ReferralCrypto.Seal(content, nodes.Sweden, Binding);

        Assert.NotEqual(one.EphemeralPublicKey, two.EphemeralPublicKey);
        Assert.NotEqual(one.Nonce, two.Nonce);
        Assert.NotEqual(one.Ciphertext, two.Ciphertext);
        Assert.Equal(one.RecipientThumbprint, two.RecipientThumbprint);
        Assert.Equal(content, ReferralCrypto.Open(one, nodes.Sweden, Binding, ReferralContent.Parser));
        Assert.Equal(content, ReferralCrypto.Open(two, nodes.Sweden, Binding, ReferralContent.Parser));
    }

    [Fact]
    public void Open_WithAnotherNodesKey_IsRefusedByThumbprint()
    {
        var sealedContent = ReferralCrypto.Seal(Content(), nodes.Sweden, Binding);

        var e = Assert.Throws<ReferralCryptoException>(() => ReferralCrypto.Open(sealedContent, nodes.Denmark, Binding, ReferralContent.Parser));

        Assert.Contains(NetworkIdentity.Thumbprint(nodes.Sweden), e.Message, StringComparison.Ordinal);
        Assert.Contains(NetworkIdentity.Thumbprint(nodes.Denmark), e.Message, StringComparison.Ordinal);
        Assert.Null(e.InnerException);
    }

    [Fact]
    public void Open_WithAnotherNodesKeyAndAForgedThumbprint_FailsOnTheTag()
    {
        var sealedContent = ReferralCrypto.Seal(Content(), nodes.Sweden, Binding);
        sealedContent.RecipientThumbprint = NetworkIdentity.Thumbprint(nodes.Denmark);

        var e = Assert.Throws<ReferralCryptoException>(() => ReferralCrypto.Open(sealedContent, nodes.Denmark, Binding, ReferralContent.Parser));

        Assert.IsType<AuthenticationTagMismatchException>(e.InnerException);
    }

    [Fact]
    public void Open_ThumbprintInLowerCase_StillOpens()
    {
        var content = Content();
        var sealedContent = ReferralCrypto.Seal(content, nodes.Sweden, Binding);
        sealedContent.RecipientThumbprint = sealedContent.RecipientThumbprint.ToLowerInvariant();

        Assert.Equal(content, ReferralCrypto.Open(sealedContent, nodes.Sweden, Binding, ReferralContent.Parser));
    }

    [Fact]
    public void Open_WithoutThePrivateKey_IsRefused()
    {
        var sealedContent = ReferralCrypto.Seal(Content(), nodes.Sweden, Binding);

        var e = Assert.Throws<ReferralCryptoException>(() => ReferralCrypto.Open(sealedContent, PublicOnly(nodes.Sweden), Binding, ReferralContent.Parser));

        Assert.Contains("no private key", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ciphertext")]
    [InlineData("nonce")]
    [InlineData("ephemeral_public_key")]
    public void Open_OneFlippedBitAnywhere_Fails(string field)
    {
        var content = new ReferralContent { Needs = { "shelter" }, SafetyRisks = { new SafetyRisk { Description = "none known", Level = RiskLevel.Low } } };
        var original = ReferralCrypto.Seal(content, nodes.Sweden, Binding);
        var bytes = Field(original, field).ToByteArray();
        var unexpected = new List<string>();

        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            var sealedContent = With(original, field, tampered);

            try
            {
                var opened = ReferralCrypto.Open(sealedContent, nodes.Sweden, Binding, ReferralContent.Parser);
                unexpected.Add($"bit {bit}: opened to {opened}");
            }
            catch (ReferralCryptoException)
            {
            }
            catch (Exception e)
            {
                unexpected.Add($"bit {bit}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.True(bytes.Length * 8 >= 96, $"only {bytes.Length * 8} bits in {field}");
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} tampered versions of {field} did not fail with ReferralCryptoException:\n" + string.Join("\n", unexpected));
        Assert.Equal(content, ReferralCrypto.Open(original, nodes.Sweden, Binding, ReferralContent.Parser));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50 * 1024)]
    [InlineData(-17)]
    [InlineData(-1)]
    public void Open_LargeContentWithAFlippedBit_Fails(int position)
    {
        var original = ReferralCrypto.Seal(Content(attachmentBytes: 100 * 1024), nodes.Sweden, Binding);
        var bytes = original.Ciphertext.ToByteArray();
        bytes[position >= 0 ? position : bytes.Length + position] ^= 0x10;

        var e = Assert.Throws<ReferralCryptoException>(() => ReferralCrypto.Open(With(original, "ciphertext", bytes), nodes.Sweden, Binding, ReferralContent.Parser));

        Assert.IsType<AuthenticationTagMismatchException>(e.InnerException);
    }

    [Theory]
    [InlineData("0195c0de-0000-7000-8000-000000000002", MessageId, "NL", "SE")]
    [InlineData(ReferralId, "0195c0de-0000-7000-8000-0000000000a2", "NL", "SE")]
    [InlineData(ReferralId, MessageId, "DK", "SE")]
    [InlineData(ReferralId, MessageId, "NL", "DK")]
    [InlineData(ReferralId, MessageId, "SE", "NL")]
    public void Open_UnderAnotherBinding_Fails(string referralId, string messageId, string from, string to)
    {
        var sealedContent = ReferralCrypto.Seal(Content(), nodes.Sweden, Binding);

        var e = Assert.Throws<ReferralCryptoException>(() =>
            ReferralCrypto.Open(sealedContent, nodes.Sweden, ReferralCrypto.Binding(referralId, messageId, from, to), ReferralContent.Parser));

        Assert.IsType<AuthenticationTagMismatchException>(e.InnerException);
    }

    public static TheoryData<string> MalformedKeys() =>
    [
        "empty", "zeros", "garbage", "truncated", "not on the curve", "P-384", "brainpoolP256r1", "RSA", "compressed point", "trailing byte",
    ];

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public void Open_MalformedEphemeralKey_FailsWithReferralCryptoException(string kind)
    {
        var original = ReferralCrypto.Seal(Content(), nodes.Sweden, Binding);
        var key = MalformedKey(kind, original.EphemeralPublicKey.ToByteArray());
        var sealedContent = With(original, "ephemeral_public_key", key);

        var e = Record.Exception(() => ReferralCrypto.Open(sealedContent, nodes.Sweden, Binding, ReferralContent.Parser));

        Assert.NotNull(e);
        Assert.True(e is ReferralCryptoException, $"{kind}: {e.GetType().FullName}: {e.Message}");
    }

    [Fact]
    public void Open_EphemeralKeyNamingAnUnknownCurve_FailsWithReferralCryptoException_NotPlatformNotSupported()
    {
        // The genuine key with its curve OID changed from 1.2.840.10045.3.1.7 (P-256) to 1.2.840.10045.3.1.99: what a
        // corrupted or hostile message may carry. .NET refuses such a key with PlatformNotSupportedException.
        var original = ReferralCrypto.Seal(Content(), nodes.Sweden, Binding);
        var key = original.EphemeralPublicKey.ToByteArray();
        byte[] p256 = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
        var at = key.AsSpan().IndexOf(p256);
        Assert.True(at > 0, "the ephemeral key does not name P-256");
        key[at + p256.Length - 1] = 99;

        var e = Record.Exception(() => ReferralCrypto.Open(With(original, "ephemeral_public_key", key), nodes.Sweden, Binding, ReferralContent.Parser));

        Assert.NotNull(e);
        Assert.True(e is ReferralCryptoException, $"{e.GetType().FullName}: {e.Message}");
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(11, 100)]
    [InlineData(13, 100)]
    [InlineData(12, 15)]
    [InlineData(12, 0)]
    public void Open_NonceOrCiphertextOfTheWrongLength_IsMalformed(int nonceLength, int ciphertextLength)
    {
        var original = ReferralCrypto.Seal(Content(), nodes.Sweden, Binding);
        var sealedContent = original.Clone();
        sealedContent.Nonce = ByteString.CopyFrom(original.Nonce.Span[..Math.Min(nonceLength, 12)].ToArray().Concat(new byte[Math.Max(0, nonceLength - 12)]).ToArray());
        sealedContent.Ciphertext = ByteString.CopyFrom(original.Ciphertext.Span[..ciphertextLength]);

        var e = Assert.Throws<ReferralCryptoException>(() => ReferralCrypto.Open(sealedContent, nodes.Sweden, Binding, ReferralContent.Parser));

        Assert.Contains("malformed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignMessage_Verifies_WithTheSignersCertificateOnly()
    {
        var message = Message();

        var signed = ReferralCrypto.Sign(message, nodes.Netherlands);

        Assert.Equal(message.ToByteArray(), signed.Message.ToByteArray());
        Assert.Equal(64, signed.Signature.Length);
        Assert.Equal(NetworkIdentity.Thumbprint(nodes.Netherlands), signed.SignerThumbprint);
        Assert.Equal(64, signed.SignerThumbprint.Length);
        Assert.True(ReferralCrypto.Verify(signed.Message.Span, signed.Signature.Span, PublicOnly(nodes.Netherlands)));
        Assert.False(ReferralCrypto.Verify(signed.Message.Span, signed.Signature.Span, nodes.Sweden));
        Assert.False(ReferralCrypto.Verify(signed.Message.Span, signed.Signature.Span, nodes.Denmark));
        Assert.False(ReferralCrypto.Verify(signed.Message.Span, signed.Signature.Span, nodes.Authority));
    }

    [Fact]
    public void SignMessage_AnyFlippedByte_FailsVerification()
    {
        var signed = ReferralCrypto.Sign(Message(), nodes.Netherlands);
        var message = signed.Message.ToByteArray();
        var signature = signed.Signature.ToByteArray();

        for (var i = 0; i < message.Length; i++)
        {
            var tampered = (byte[])message.Clone();
            tampered[i] ^= 0x01;
            Assert.False(ReferralCrypto.Verify(tampered, signature, nodes.Netherlands), $"message byte {i}");
        }

        for (var i = 0; i < signature.Length; i++)
        {
            var tampered = (byte[])signature.Clone();
            tampered[i] ^= 0x80;
            Assert.False(ReferralCrypto.Verify(message, tampered, nodes.Netherlands), $"signature byte {i}");
        }

        Assert.True(ReferralCrypto.Verify(message, signature, nodes.Netherlands));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(72)]
    public void Verify_SignatureOfTheWrongLength_IsFalse(int length)
    {
        var signed = ReferralCrypto.Sign(Message(), nodes.Netherlands);
        var signature = signed.Signature.ToByteArray().Concat(new byte[16]).Take(length).ToArray();

        Assert.False(ReferralCrypto.Verify(signed.Message.Span, signature, nodes.Netherlands));
    }

    [Fact]
    public void SignReceipt_Verifies_AndTamperingFails()
    {
        var signedMessage = ReferralCrypto.Sign(Message(), nodes.Netherlands);
        var receipt = new Receipt
        {
            MessageId = MessageId,
            ReferralId = ReferralId,
            ReceiverCountry = "SE",
            ReceivedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero)),
            MessageDigest = ByteString.CopyFrom(ReferralCrypto.Digest(signedMessage)),
            Outcome = ReceiptOutcome.Applied,
        };

        var signed = ReferralCrypto.Sign(receipt, nodes.Sweden);

        Assert.Equal(receipt, Receipt.Parser.ParseFrom(signed.Receipt));
        Assert.Equal(NetworkIdentity.Thumbprint(nodes.Sweden), signed.SignerThumbprint);
        Assert.True(ReferralCrypto.Verify(signed.Receipt.Span, signed.Signature.Span, nodes.Sweden));
        Assert.False(ReferralCrypto.Verify(signed.Receipt.Span, signed.Signature.Span, nodes.Netherlands));

        var duplicate = receipt.Clone();
        duplicate.Outcome = ReceiptOutcome.Duplicate;
        Assert.False(ReferralCrypto.Verify(duplicate.ToByteArray(), signed.Signature.Span, nodes.Sweden));

        var bytes = signed.Receipt.ToByteArray();
        bytes[^1] ^= 0x01;
        Assert.False(ReferralCrypto.Verify(bytes, signed.Signature.Span, nodes.Sweden));

        var signature = signed.Signature.ToByteArray();
        signature[0] ^= 0x01;
        Assert.False(ReferralCrypto.Verify(signed.Receipt.Span, signature, nodes.Sweden));
    }

    [Fact]
    public void Sign_WithoutThePrivateKey_IsRefused()
    {
        var e = Assert.Throws<ReferralCryptoException>(() => ReferralCrypto.Sign(Message(), PublicOnly(nodes.Netherlands)));

        Assert.Contains("no ECDSA private key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_IsSha256OfTheMessageBytes()
    {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        var abc = new SignedMessage { Message = ByteString.CopyFromUtf8("abc"), Signature = ByteString.CopyFromUtf8("ignored"), SignerThumbprint = "ignored" };
        Assert.Equal(Convert.FromHexString("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"), ReferralCrypto.Digest(abc));

        var signed = ReferralCrypto.Sign(Message(), nodes.Netherlands);
        Assert.Equal(SHA256.HashData(Message().ToByteArray()), ReferralCrypto.Digest(signed));
        Assert.NotEqual(SHA256.HashData(signed.ToByteArray()), ReferralCrypto.Digest(signed));

        var other = Message();
        other.Clock++;
        Assert.NotEqual(ReferralCrypto.Digest(signed), ReferralCrypto.Digest(ReferralCrypto.Sign(other, nodes.Netherlands)));
    }

    private static ReferralContent Content(int attachmentBytes = 0)
    {
        var content = new ReferralContent
        {
            PersonalData = new PersonalData
            {
                GivenName = "Ana", FamilyName = "Popescu", Sex = "F", Citizenship = "RO", DateOfBirth = "1998-04-11",
                Contact = "through the shelter", Languages = { "ro", "en" }, Health = "asthma, needs an inhaler",
            },
            Needs = { "safe shelter", "medical check" },
            SafetyRisks = { new SafetyRisk { Description = "the recruiter knows her family's address", Level = RiskLevel.High } },
        };
        if (attachmentBytes > 0)
        {
            var bytes = new byte[attachmentBytes];
            new Random(42).NextBytes(bytes);
            content.Attachments.Add(new Attachment { Name = "assessment.pdf", MediaType = "application/pdf", Content = ByteString.CopyFrom(bytes) });
        }

        return content;
    }

    private static ReferralMessage Message() => new()
    {
        MessageId = MessageId,
        ReferralId = ReferralId,
        FromCountry = "NL",
        ToCountry = "SE",
        Sequence = 3,
        CreatedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero)),
        Actor = "anna",
        Clock = 5,
        StatusChange = new StatusChange { From = ReferralStatus.UnderAssessment, To = ReferralStatus.Withdrawn, Reason = "the person went home" },
    };

    private static X509Certificate2 PublicOnly(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);

    private static ByteString Field(SealedContent sealedContent, string field) => field switch
    {
        "ciphertext" => sealedContent.Ciphertext,
        "nonce" => sealedContent.Nonce,
        "ephemeral_public_key" => sealedContent.EphemeralPublicKey,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static SealedContent With(SealedContent sealedContent, string field, byte[] value)
    {
        var copy = sealedContent.Clone();
        switch (field)
        {
            case "ciphertext":
                copy.Ciphertext = ByteString.CopyFrom(value);
                break;
            case "nonce":
                copy.Nonce = ByteString.CopyFrom(value);
                break;
            case "ephemeral_public_key":
                copy.EphemeralPublicKey = ByteString.CopyFrom(value);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(field));
        }

        return copy;
    }

    private static byte[] MalformedKey(string kind, byte[] genuine)
    {
        switch (kind)
        {
            case "empty":
                return [];
            case "zeros":
                return new byte[genuine.Length];
            case "garbage":
                var garbage = new byte[genuine.Length];
                new Random(7).NextBytes(garbage);
                return garbage;
            case "truncated":
                return genuine[..^10];
            case "trailing byte":
                return [.. genuine, 0];
            case "not on the curve":
                var moved = (byte[])genuine.Clone();
                moved[^1] ^= 0x01; // last byte of Y: the point (X, Y') is not on P-256
                return moved;
            case "P-384":
            {
                using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);
                return key.ExportSubjectPublicKeyInfo();
            }

            case "brainpoolP256r1":
            {
                using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.brainpoolP256r1);
                return key.ExportSubjectPublicKeyInfo();
            }

            case "RSA":
            {
                using var key = RSA.Create(2048);
                return key.ExportSubjectPublicKeyInfo();
            }

            case "compressed point":
            {
                // The genuine point in compressed form (0x02/0x03 || X): a well-formed SPKI of a different encoding.
                using var key = ECDiffieHellman.Create();
                key.ImportSubjectPublicKeyInfo(genuine, out _);
                var point = key.ExportParameters(false).Q;
                var prefix = genuine[..^65];
                prefix[1] -= 32;
                prefix[^2] -= 32; // the BIT STRING's length (its last byte is the unused-bits count)
                return [.. prefix, (byte)(2 + (point.Y![^1] & 1)), .. point.X!];
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }
}
