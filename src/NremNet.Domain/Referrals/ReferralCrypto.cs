using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Google.Protobuf;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Pki;

namespace NremNet.Domain.Referrals;

/// <summary>Why sealed content could not be opened or a signature did not hold.</summary>
public sealed class ReferralCryptoException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// End-to-end protection of referrals. Content is sealed for one node: a fresh ephemeral P-256 key per message, ECDH
/// with the recipient's certificate key, HKDF-SHA256 (salt: the ephemeral public key; info: a label and the message's
/// identity) to a 256-bit AES-GCM key, a random 96-bit nonce, the message's identity as associated data so sealed content
/// cannot be moved to another message or referral. Messages and receipts are signed with ECDSA P-256/SHA-256 by the
/// node that makes them.
/// </summary>
public static class ReferralCrypto
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int MaxPooledKeys = 8;
    private static readonly byte[] Label = "nremnet.referrals.v1 sealed content"u8.ToArray();
    private static readonly ConditionalWeakTable<X509Certificate2, ConcurrentBag<ECDiffieHellman>> AgreementKeys = [];

    /// <summary>What sealed content is bound to: the referral, the message, the two countries.</summary>
    public static byte[] Binding(string referralId, string messageId, string fromCountry, string toCountry) =>
        Encoding.UTF8.GetBytes($"{referralId}\n{messageId}\n{fromCountry}\n{toCountry}");

    /// <summary>Seals <paramref name="content"/> for the holder of <paramref name="recipient"/>'s private key.</summary>
    public static SealedContent Seal(IMessage content, X509Certificate2 recipient, byte[] binding)
    {
        using var recipientKey = recipient.GetECDiffieHellmanPublicKey()
            ?? throw new ReferralCryptoException($"The certificate '{recipient.Subject}' has no P-256 key to seal for.");
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var ephemeralPublic = ephemeral.ExportSubjectPublicKeyInfo();
        // PublicKey makes a new key object each time: disposed here, not left to the finalizer thread.
        using var recipientPublic = recipientKey.PublicKey;
        var secret = ephemeral.DeriveRawSecretAgreement(recipientPublic);
        var key = DeriveKey(secret, ephemeralPublic, binding);
        var plaintext = content.ToByteArray();
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var output = new byte[plaintext.Length + TagBytes];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), binding);
        }

        CryptographicOperations.ZeroMemory(secret);
        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(plaintext);
        return new SealedContent
        {
            EphemeralPublicKey = ByteString.CopyFrom(ephemeralPublic),
            Nonce = ByteString.CopyFrom(nonce),
            Ciphertext = ByteString.CopyFrom(output),
            RecipientThumbprint = NetworkIdentity.Thumbprint(recipient),
        };
    }

    /// <summary>Opens content sealed for <paramref name="own"/> (a certificate with its private key).</summary>
    public static T Open<T>(SealedContent sealedContent, X509Certificate2 own, byte[] binding, MessageParser<T> parser)
        where T : IMessage<T>
    {
        var thumbprint = NetworkIdentity.Thumbprint(own);
        if (!string.Equals(sealedContent.RecipientThumbprint, thumbprint, StringComparison.OrdinalIgnoreCase))
        {
            throw new ReferralCryptoException($"The content is sealed for certificate {sealedContent.RecipientThumbprint}, not for this node's ({thumbprint}).");
        }

        if (sealedContent.Nonce.Length != NonceBytes || sealedContent.Ciphertext.Length < TagBytes)
        {
            throw new ReferralCryptoException("The sealed content is malformed (nonce or ciphertext too short).");
        }

        var privateKey = RentAgreementKey(own);
        byte[] secret;
        try
        {
            using var ephemeral = ECDiffieHellman.Create();
            ephemeral.ImportSubjectPublicKeyInfo(sealedContent.EphemeralPublicKey.Span, out _);
            if (ephemeral.KeySize != 256)
            {
                throw new ReferralCryptoException("The ephemeral key is not a P-256 key.");
            }

            using var ephemeralPublic = ephemeral.PublicKey;
            secret = privateKey.DeriveRawSecretAgreement(ephemeralPublic);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException or ArgumentException)
        {
            // An unknown curve in a forged or corrupted key surfaces as PlatformNotSupportedException.
            throw new ReferralCryptoException("The ephemeral public key of the sealed content is not a valid P-256 key.", e);
        }
        finally
        {
            ReturnAgreementKey(own, privateKey);
        }

        var key = DeriveKey(secret, sealedContent.EphemeralPublicKey.ToByteArray(), binding);
        var ciphertext = sealedContent.Ciphertext.Span;
        var plaintext = new byte[ciphertext.Length - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(sealedContent.Nonce.Span, ciphertext[..plaintext.Length], ciphertext[plaintext.Length..], plaintext, binding);
            return parser.ParseFrom(plaintext);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new ReferralCryptoException("The sealed content does not open: it was altered, or sealed for another message or node.", e);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ReferralCryptoException("The sealed content opened but is not a valid message.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Signs a message with the node's certificate key.</summary>
    public static SignedMessage Sign(ReferralMessage message, X509Certificate2 signer)
    {
        var bytes = message.ToByteArray();
        return new SignedMessage
        {
            Message = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(SignBytes(bytes, signer)),
            SignerThumbprint = NetworkIdentity.Thumbprint(signer),
        };
    }

    /// <summary>Signs a receipt with the node's certificate key.</summary>
    public static SignedReceipt Sign(Receipt receipt, X509Certificate2 signer)
    {
        var bytes = receipt.ToByteArray();
        return new SignedReceipt
        {
            Receipt = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(SignBytes(bytes, signer)),
            SignerThumbprint = NetworkIdentity.Thumbprint(signer),
        };
    }

    /// <summary>Whether <paramref name="signature"/> over <paramref name="data"/> was made with <paramref name="signer"/>'s key.</summary>
    public static bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, X509Certificate2 signer)
    {
        using var key = signer.GetECDsaPublicKey();
        return key is not null && key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>SHA-256 of a signed message's bytes, as receipts carry it.</summary>
    public static byte[] Digest(SignedMessage message) => SHA256.HashData(message.Message.Span);

    private static byte[] SignBytes(byte[] data, X509Certificate2 signer)
    {
        using var key = signer.GetECDsaPrivateKey() ?? throw new ReferralCryptoException($"The certificate '{signer.Subject}' has no ECDSA private key to sign with.");
        return key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>
    /// A key-agreement object for <paramref name="own"/>'s private key. Making one exports and imports the key (about
    /// 0.2 ms, as much as the agreement itself), so they are kept per certificate and used by one caller at a time.
    /// </summary>
    private static ECDiffieHellman RentAgreementKey(X509Certificate2 own) =>
        AgreementKeys.TryGetValue(own, out var pool) && pool.TryTake(out var key) ? key : PrivateAgreementKey(own);

    private static void ReturnAgreementKey(X509Certificate2 own, ECDiffieHellman key)
    {
        var pool = AgreementKeys.GetValue(own, _ => []);
        if (pool.Count < MaxPooledKeys)
        {
            pool.Add(key);
        }
        else
        {
            key.Dispose();
        }
    }

    private static ECDiffieHellman PrivateAgreementKey(X509Certificate2 own)
    {
        using var signing = own.GetECDsaPrivateKey() ?? throw new ReferralCryptoException($"The certificate '{own.Subject}' has no private key to open sealed content with.");
        var parameters = signing.ExportParameters(includePrivateParameters: true);
        try
        {
            return ECDiffieHellman.Create(parameters);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    private static byte[] DeriveKey(byte[] secret, byte[] ephemeralPublic, byte[] binding)
    {
        var info = new byte[Label.Length + binding.Length];
        Label.CopyTo(info, 0);
        binding.CopyTo(info, Label.Length);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, ephemeralPublic, info);
    }
}
