using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Node.Practices;
using NremNet.Node.Tests.Infrastructure;
using static NremNet.Node.Tests.Practices.PracticeFixtures;

namespace NremNet.Node.Tests.Practices;

/// <summary>
/// Practices replicated between real nodes (Kestrel, mutual TLS, SQLite files): every step of a document reaches every
/// node, also those that were down and also while its owner is down; erasure removes content everywhere; a node restored
/// from an older backup gets its own later documents back and its peers read it again.
/// </summary>
public sealed class DocumentReplicationTests
{
    [Fact]
    public async Task A_practice_its_edit_and_its_withdrawal_reach_every_node_with_the_history_intact()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL", "SE", "FI");
        var (nl, se, fi) = (nodes[0], nodes[1], nodes[2]);

        var id = await PublishAsync(nl, "SYNTHETIC: Joint labour inspections");
        Assert.StartsWith("NL-PR-", id, StringComparison.Ordinal);
        await HeldEverywhereAsync(nodes, id, 1);

        var found = await se.Practices.SearchPracticesAsync(new SearchPracticesRequest { Text = "labour inspections", Language = "en" }, se.Auth);
        Assert.Contains(found.Hits, h => h.Practice.Version.DocumentId == id);

        await nl.Practices.EditPracticeAsync(new EditPracticeRequest { DocumentId = id, File = PracticeFile("SYNTHETIC: Joint labour inspections, second edition"), BaseVersion = 1 }, nl.Auth);
        await HeldEverywhereAsync(nodes, id, 2);
        var shown = await fi.Practices.GetPracticeAsync(new GetPracticeRequest { DocumentId = id }, fi.Auth);
        Assert.Contains("second edition", shown.File, StringComparison.Ordinal);
        Assert.Equal("NL", shown.Version.OwnerCountry);
        var first = await fi.Practices.GetPracticeAsync(new GetPracticeRequest { DocumentId = id, Version = 1 }, fi.Auth);
        Assert.DoesNotContain("second edition", first.File, StringComparison.Ordinal);

        // An edit on a version that is no longer the current one is refused, not merged.
        var stale = await Assert.ThrowsAsync<RpcException>(() => nl.Practices.EditPracticeAsync(new EditPracticeRequest { DocumentId = id, File = PracticeFile("stale"), BaseVersion = 1 }, nl.Auth).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);

        await nl.Practices.WithdrawDocumentAsync(new WithdrawDocumentRequest { DocumentId = id, Reason = "Superseded by the 2026 protocol (synthetic)." }, nl.Auth);
        await HeldEverywhereAsync(nodes, id, 3, DocumentState.Withdrawn);
        var history = await VersionsAsync(se, id);
        Assert.Equal([1, 2, 3], history.Select(v => v.Version));
        Assert.Equal("Superseded by the 2026 protocol (synthetic).", history[^1].Reason);
        Assert.All(history, v => Assert.Equal(64, v.Digest.Length));

        // Withdrawn practices stay readable, marked, and leave the default search.
        var withdrawn = await se.Practices.GetPracticeAsync(new GetPracticeRequest { DocumentId = id }, se.Auth);
        Assert.Equal(DocumentState.Withdrawn, withdrawn.Version.State);
        Assert.Contains("second edition", withdrawn.File, StringComparison.Ordinal);
        var after = await se.Practices.SearchPracticesAsync(new SearchPracticesRequest { Text = "labour inspections", Language = "en" }, se.Auth);
        Assert.DoesNotContain(after.Hits, h => h.Practice.Version.DocumentId == id);
    }

    [Fact]
    public async Task Only_the_owner_changes_a_document_and_only_rapporteurs_publish()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL", "SE");
        var (nl, se) = (nodes[0], nodes[1]);
        var id = await PublishAsync(nl, "SYNTHETIC: Hotline for workers");
        await HeldEverywhereAsync(nodes, id, 1);

        var edit = await Assert.ThrowsAsync<RpcException>(() => se.Practices.EditPracticeAsync(new EditPracticeRequest { DocumentId = id, File = PracticeFile("hijacked") }, se.Auth).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, edit.StatusCode);
        Assert.Contains("belongs to NL", edit.Status.Detail, StringComparison.Ordinal);
        var withdraw = await Assert.ThrowsAsync<RpcException>(() => se.Practices.WithdrawDocumentAsync(new WithdrawDocumentRequest { DocumentId = id, Reason = "x" }, se.Auth).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, withdraw.StatusCode);
        var erase = await Assert.ThrowsAsync<RpcException>(() => se.Practices.EraseDocumentAsync(new EraseDocumentRequest { DocumentId = id, Reason = "x" }, se.Auth).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, erase.StatusCode);

        var officer = await Referrals.ReferralFixtures.TokenAsync(nl.Node, "officer", "referral_officer");
        var denied = await Assert.ThrowsAsync<RpcException>(() => nl.Practices.PublishPracticeAsync(new PublishPracticeRequest { File = PracticeFile("by an officer") }, Referrals.ReferralFixtures.Auth(officer)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        // ... who still reads.
        var read = await nl.Practices.GetPracticeAsync(new GetPracticeRequest { DocumentId = id }, Referrals.ReferralFixtures.Auth(officer));
        Assert.Equal(id, read.Version.DocumentId);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => nl.Practices.GetPracticeAsync(new GetPracticeRequest { DocumentId = id }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_file_with_problems_is_refused_with_every_problem_and_nothing_is_stored()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL");
        var nl = nodes[0];
        var file = PracticeFile("SYNTHETIC: broken").Replace("grade: PROMISING", "grade: EXCELLENT", StringComparison.Ordinal).Replace("language: en", "language: xx", StringComparison.Ordinal);
        var check = await nl.Practices.CheckPracticeAsync(new CheckPracticeRequest { File = file }, nl.Auth);
        Assert.True(check.Problems.Count >= 2, string.Join("; ", check.Problems));
        Assert.All(check.Problems, p => Assert.True(p.Line > 0 || p.Path.Length > 0));
        var refused = await Assert.ThrowsAsync<RpcException>(() => nl.Practices.PublishPracticeAsync(new PublishPracticeRequest { File = file }, nl.Auth).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("language", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("grade", refused.Status.Detail, StringComparison.Ordinal);
        var status = await nl.Practices.GetSyncStatusAsync(new GetSyncStatusRequest(), nl.Auth);
        Assert.Equal(0, status.Practices);
        Assert.Equal(0, status.LatestSequence);
    }

    [Fact]
    public async Task Personal_data_must_be_edited_or_confirmed_and_a_confirmation_is_audited()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL");
        var nl = nodes[0];
        var file = PracticeFile("SYNTHETIC: Case work", "The victim Maria Jansen, born 12-03-1990, can be reached at maria.jansen@example.org or +31 6 12345678.");
        var check = await nl.Practices.CheckPracticeAsync(new CheckPracticeRequest { File = file }, nl.Auth);
        Assert.Contains(check.Findings, f => f.Kind == "e-mail address" && f.Field == "body");
        Assert.Contains(check.Findings, f => f.Kind == "phone number");
        var refused = await Assert.ThrowsAsync<RpcException>(() => nl.Practices.PublishPracticeAsync(new PublishPracticeRequest { File = file }, nl.Auth).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("fingerprint", refused.Status.Detail, StringComparison.Ordinal);

        var request = new PublishPracticeRequest { File = file };
        request.ConfirmedFindings.AddRange(check.Findings.Select(f => f.Fingerprint));
        var published = await nl.Practices.PublishPracticeAsync(request, nl.Auth);
        Assert.Equal(1, await AuditCountAsync(nl, "document.personal-data-confirmed", published.Version.DocumentId));
        // The audit names kinds, fields and fingerprints; never the text itself.
        Assert.Equal(0, await AuditCountAsync(nl, "document.personal-data-confirmed", "maria.jansen"));

        // Publications at the same moment each get their own id and stay version 1.
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => PublishAsync(nl, $"SYNTHETIC: parallel {i}")));
        Assert.Equal(8, ids.Distinct(StringComparer.Ordinal).Count());
        foreach (var id in ids)
        {
            Assert.Equal(1, Assert.Single(await VersionsAsync(nl, id)).Version);
        }
    }

    [Fact]
    public async Task A_node_that_was_down_gets_a_publication_from_a_peer_while_the_owner_is_stopped()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL", "SE", "FI");
        var (nl, se, fi) = (nodes[0], nodes[1], nodes[2]);
        await fi.Node.StopAsync();

        var id = await PublishAsync(nl, "SYNTHETIC: Outreach to domestic workers");
        await HeldEverywhereAsync([nl, se], id, 1);
        await nl.Node.StopAsync();

        await using var fiAgain = await network.RestartAsync(fi.Node);
        var fiLibrary = await OpenAsync(fiAgain);
        await HeldEverywhereAsync([fiLibrary], id, 1);
        var version = (await VersionsAsync(fiLibrary, id))[0];
        Assert.Equal("NL", version.OwnerCountry);
        Assert.Equal("SE", version.ReceivedFrom);
    }

    [Fact]
    public async Task Withdrawal_and_erasure_reach_a_node_that_was_down_and_erasure_removes_the_content_everywhere()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL", "SE", "FI");
        var (nl, se, fi) = (nodes[0], nodes[1], nodes[2]);
        var kept = await PublishAsync(nl, "SYNTHETIC: Kept practice");
        var erased = await PublishAsync(nl, "SYNTHETIC: Practice with a mistake", "This text holds the marker ZEBRA-QUOKKA-77 that must vanish.");
        await HeldEverywhereAsync(nodes, erased, 1);
        await HeldEverywhereAsync(nodes, kept, 1);

        await fi.Node.StopAsync();
        await nl.Practices.WithdrawDocumentAsync(new WithdrawDocumentRequest { DocumentId = kept, Reason = "Ended in 2025 (synthetic)." }, nl.Auth);
        await nl.Practices.EraseDocumentAsync(new EraseDocumentRequest { DocumentId = erased, Reason = "Published by mistake (synthetic)." }, nl.Auth);
        await HeldEverywhereAsync([nl, se], erased, 2, DocumentState.Erased);

        await using var fiAgain = await network.RestartAsync(fi.Node);
        var fiLibrary = await OpenAsync(fiAgain);
        await HeldEverywhereAsync([fiLibrary], kept, 2, DocumentState.Withdrawn);
        await HeldEverywhereAsync([fiLibrary], erased, 2, DocumentState.Erased);

        foreach (var node in new[] { nl, se, fiLibrary })
        {
            var shown = await node.Practices.GetPracticeAsync(new GetPracticeRequest { DocumentId = erased }, node.Auth);
            Assert.Equal(string.Empty, shown.File);
            Assert.Equal("Published by mistake (synthetic).", shown.Version.Reason);
            var first = await node.Practices.GetPracticeAsync(new GetPracticeRequest { DocumentId = erased, Version = 1 }, node.Auth);
            Assert.Equal(string.Empty, first.File);
            var hits = await node.Practices.SearchPracticesAsync(new SearchPracticesRequest { Text = "mistake", Language = "en", IncludeWithdrawn = true }, node.Auth);
            Assert.DoesNotContain(hits.Hits, h => h.Practice.Version.DocumentId == erased);
            Assert.Equal(0L, await QueryAsync<long>(node.DatabaseFile, "SELECT COUNT(*) FROM doc_versions WHERE document_id = @Id AND signed IS NOT NULL AND version < 2", new { Id = erased }));
        }

        // The marker is gone from the file itself once SQLite has reused the pages (secure_delete makes it immediate).
        SqliteFiles.Checkpoint(fiLibrary.DatabaseFile);
        Assert.False(SqliteFiles.Contains(fiLibrary.DatabaseFile, "ZEBRA-QUOKKA-77"), "the erased text is still in FI's database file");
    }

    [Fact]
    public async Task A_node_restored_from_an_older_backup_gets_its_own_later_documents_back_and_its_peers_read_it_again()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL", "SE", "FI");
        var (nl, se, fi) = (nodes[0], nodes[1], nodes[2]);
        var early = await PublishAsync(nl, "SYNTHETIC: Before the backup");
        await HeldEverywhereAsync(nodes, early, 1);

        await nl.Node.StopAsync();
        var backup = Path.Combine(Path.GetDirectoryName(nl.DatabaseFile)!, "..", "backup-NL");
        SqliteFiles.CopyDatabase(nl.DatabaseFile, backup);
        await using var nlLater = await network.RestartAsync(nl.Node);
        var later = await OpenAsync(nlLater);
        var lost = await PublishAsync(later, "SYNTHETIC: After the backup");
        await later.Practices.EditPracticeAsync(new EditPracticeRequest { DocumentId = early, File = PracticeFile("SYNTHETIC: Before the backup, edited after it") }, later.Auth);
        await HeldEverywhereAsync([se, fi], lost, 1);
        await HeldEverywhereAsync([se, fi], early, 2);
        var epochBefore = (await later.Practices.GetSyncStatusAsync(new GetSyncStatusRequest(), later.Auth)).Epoch;

        await nlLater.StopAsync();
        SqliteFiles.RestoreDatabase(backup, later.DatabaseFile);
        await using var nlRestored = await network.RestartAsync(nlLater);
        var restored = await OpenAsync(nlRestored);
        await HeldEverywhereAsync([restored], lost, 1);
        await HeldEverywhereAsync([restored], early, 2);
        var status = await restored.Practices.GetSyncStatusAsync(new GetSyncStatusRequest(), restored.Auth);
        Assert.NotEqual(epochBefore, status.Epoch);
        Assert.True(await AuditCountAsync(restored, "document.epoch-restarted", "restored") >= 1 || await AuditCountAsync(restored, "document.epoch-restarted", "past its newest") >= 1);

        // What the restored node publishes now reaches peers whose cursors were past its restored feed.
        var fresh = await PublishAsync(restored, "SYNTHETIC: After the restore");
        await HeldEverywhereAsync([se, fi], fresh, 1);
        Assert.NotEqual(lost, fresh);
    }

    [Fact]
    public async Task Forged_altered_and_wrong_owner_versions_from_a_member_are_refused_and_audited_and_replays_change_nothing()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL", "SE", "BG");
        var (nl, se, bg) = (nodes[0], nodes[1], nodes[2]);
        var id = await PublishAsync(nl, "SYNTHETIC: Genuine practice");
        await nl.Practices.EditPracticeAsync(new EditPracticeRequest { DocumentId = id, File = PracticeFile("SYNTHETIC: Genuine practice, v2") }, nl.Auth);
        await HeldEverywhereAsync(nodes, id, 2);

        // BG's node is compromised: it serves versions it made up in its feed.
        var genuine = SignedDocument.Parser.ParseFrom(await QueryAsync<byte[]>(bg.DatabaseFile, "SELECT signed FROM doc_versions WHERE document_id = @Id AND version = 1", new { Id = id }));
        var genuineV2 = SignedDocument.Parser.ParseFrom(await QueryAsync<byte[]>(bg.DatabaseFile, "SELECT signed FROM doc_versions WHERE document_id = @Id AND version = 2", new { Id = id }));
        var envelopeV2 = DocumentEnvelope.Parser.ParseFrom(genuineV2.Envelope);

        // 1. NL's version 3, altered: a withdrawal with NL's signature of version 2.
        var altered = envelopeV2.Clone();
        altered.Version = 3;
        altered.State = DocumentState.Withdrawn;
        altered.Reason = "withdrawn by BG";
        altered.PreviousDigest = ByteString.CopyFrom(Convert.FromHexString(DocumentChecks.DigestOf(genuineV2.Envelope)));
        await InjectAsync(bg.DatabaseFile, new SignedDocument { Envelope = altered.ToByteString(), Signature = genuineV2.Signature, SignerCertificate = genuineV2.SignerCertificate }, id, 3, "NL");

        // 2. The same withdrawal signed by BG's own (valid) key, claiming to be NL's.
        await InjectAsync(bg.DatabaseFile, DocumentChecks.Sign(altered, bg.Node.Certificate), id, 3, "NL");

        // 3. A new practice claiming NL as owner, signed by BG.
        var fake = new DocumentEnvelope
        {
            DocumentId = "NL-PR-2026-0999",
            OwnerCountry = "NL",
            Kind = DocumentKind.Practice,
            Version = 1,
            State = DocumentState.Published,
            SignedAt = Timestamp.FromDateTime(DateTime.UtcNow),
            Content = ByteString.CopyFromUtf8(Domain.Practices.PracticeFile.Write(Practice("NL-PR-2026-0999", "SYNTHETIC: fake NL practice"))),
        };
        await InjectAsync(bg.DatabaseFile, DocumentChecks.Sign(fake, bg.Node.Certificate), fake.DocumentId, 1, "NL");

        // 4. A replay of NL's genuine version 1.
        await InjectAsync(bg.DatabaseFile, genuine, id, 1, "NL");

        // 5. A version 2 of the document forked with BG's key presenting NL's certificate.
        var fork = envelopeV2.Clone();
        fork.Content = ByteString.CopyFromUtf8(Domain.Practices.PracticeFile.Write(Practice(id, "SYNTHETIC: forked")));
        var forged = DocumentChecks.Sign(fork, bg.Node.Certificate);
        forged.SignerCertificate = genuineV2.SignerCertificate;
        await InjectAsync(bg.DatabaseFile, forged, id, 2, "NL");

        var sync = await se.Practices.SyncNowAsync(new SyncNowRequest(), se.Auth);
        var fromBg = Assert.Single(sync.Status.Peers, p => p.Country == "BG");
        Assert.True(fromBg.Refused >= 4, $"SE refused {fromBg.Refused} of BG's made-up versions");
        Assert.True(await AuditCountAsync(se, "document.refused", "forged") >= 4);

        var history = await VersionsAsync(se, id);
        Assert.Equal([1, 2], history.Select(v => v.Version));
        Assert.Equal(DocumentState.Published, history[^1].State);
        Assert.Empty(await VersionsAsync(se, "NL-PR-2026-0999"));
        var shown = await se.Practices.GetPracticeAsync(new GetPracticeRequest { DocumentId = id }, se.Auth);
        Assert.Contains("Genuine practice, v2", shown.File, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_suspended_members_new_documents_are_refused_and_its_stored_ones_stay_marked()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL", "SE", "BG");
        var (nl, se, bg) = (nodes[0], nodes[1], nodes[2]);
        var before = await PublishAsync(bg, "SYNTHETIC: Published before the suspension");
        await HeldEverywhereAsync(nodes, before, 1);

        await network.SuspendAsync("BG");
        await nl.Node.WaitForSnapshotAsync(s => s.Members.All(m => m.Country != "BG"));
        await se.Node.WaitForSnapshotAsync(s => s.Members.All(m => m.Country != "BG"));

        // A version BG signs now reaches SE's feed (a relay that had not seen the suspension yet).
        var envelope = new DocumentEnvelope
        {
            DocumentId = "BG-PR-2026-0500",
            OwnerCountry = "BG",
            Kind = DocumentKind.Practice,
            Version = 1,
            State = DocumentState.Published,
            SignedAt = Timestamp.FromDateTime(DateTime.UtcNow),
            Content = ByteString.CopyFromUtf8(Domain.Practices.PracticeFile.Write(Practice("BG-PR-2026-0500", "SYNTHETIC: after the suspension"))),
        };
        await InjectAsync(se.DatabaseFile, DocumentChecks.Sign(envelope, bg.Node.Certificate), envelope.DocumentId, 1, "BG");
        await nl.Practices.SyncNowAsync(new SyncNowRequest(), nl.Auth);

        Assert.Empty(await VersionsAsync(nl, envelope.DocumentId));
        Assert.True(await AuditCountAsync(nl, "document.refused", "owner-inactive") >= 1);
        var kept = await nl.Practices.GetPracticeAsync(new GetPracticeRequest { DocumentId = before }, nl.Auth);
        Assert.True(kept.Version.OwnerInactive);
        Assert.Contains("Published before the suspension", kept.File, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attachment_travels_with_its_practice_and_is_checked_against_its_hash()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL", "SE");
        var (nl, se) = (nodes[0], nodes[1]);
        var pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.7\n% SYNTHETIC visit protocol used in tests\n" + new string('x', 3 * 1024 * 1024) + "\n%%EOF\n");
        UploadAttachmentResponse uploaded;
        using (var call = nl.Practices.UploadAttachment(nl.Auth))
        {
            for (var offset = 0; offset < pdf.Length; offset += 1024 * 1024)
            {
                await call.RequestStream.WriteAsync(new UploadAttachmentRequest { Name = "visit-protocol.pdf", Chunk = ByteString.CopyFrom(pdf, offset, Math.Min(1024 * 1024, pdf.Length - offset)) }, Ct);
            }

            await call.RequestStream.CompleteAsync();
            uploaded = await call;
        }

        Assert.Equal("application/pdf", uploaded.MediaType);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)), uploaded.Sha256);

        var practice = Practice(string.Empty, "SYNTHETIC: with a protocol") with
        {
            Attachments = [new Domain.Practices.PracticeAttachment("visit-protocol.pdf", uploaded.MediaType, uploaded.Size, uploaded.Sha256)],
        };
        var id = (await nl.Practices.PublishPracticeAsync(new PublishPracticeRequest { File = Domain.Practices.PracticeFile.Write(practice) }, nl.Auth)).Version.DocumentId;
        await HeldEverywhereAsync(nodes, id, 1);

        byte[]? copy = null;
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                using var download = se.Practices.DownloadAttachment(new DownloadAttachmentRequest { Sha256 = uploaded.Sha256 }, se.Auth);
                using var buffer = new MemoryStream();
                await foreach (var chunk in download.ResponseStream.ReadAllAsync(Ct))
                {
                    chunk.Chunk.WriteTo(buffer);
                }

                copy = buffer.ToArray();
                return true;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                return false;
            }
        }, "SE holding the attachment");
        Assert.Equal(pdf, copy);
        Assert.Equal(0, (await se.Practices.GetSyncStatusAsync(new GetSyncStatusRequest(), se.Auth)).MissingAttachments);

        // A practice naming bytes this node does not hold is refused with the reason.
        var unknown = Practice(string.Empty, "SYNTHETIC: names a missing file") with
        {
            Attachments = [new Domain.Practices.PracticeAttachment("other.pdf", "application/pdf", 10, new string('a', 64))],
        };
        var refused = await Assert.ThrowsAsync<RpcException>(() => nl.Practices.PublishPracticeAsync(new PublishPracticeRequest { File = Domain.Practices.PracticeFile.Write(unknown) }, nl.Auth).ResponseAsync);
        Assert.Contains("upload it first", refused.Status.Detail, StringComparison.Ordinal);

        // Content that is not what it claims to be is refused at upload.
        using var fake = nl.Practices.UploadAttachment(nl.Auth);
        await fake.RequestStream.WriteAsync(new UploadAttachmentRequest { Name = "report.pdf", Chunk = ByteString.CopyFromUtf8("<script>alert(1)</script>") }, Ct);
        await fake.RequestStream.CompleteAsync();
        var notPdf = await Assert.ThrowsAsync<RpcException>(() => fake.ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, notPdf.StatusCode);
    }

    [Fact]
    public async Task The_feed_serves_active_members_only()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL", "SE");
        var nl = nodes[0];
        await PublishAsync(nl, "SYNTHETIC: members only");

        // A certificate of the network CA for a country that never became a member.
        var (_, _, outsider) = network.IssueNode("DE", "DE-outsider");
        using var outsiderChannel = nl.Node.PeerChannel(outsider);
        var refused = await Assert.ThrowsAsync<RpcException>(() => new DocumentReplicationService.DocumentReplicationServiceClient(outsiderChannel)
            .ChangesAsync(new ChangesRequest(), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        // A member reads the feed; a greedy limit is capped, a negative cursor reads from the start.
        using var memberChannel = nl.Node.PeerChannel(nodes[1].Node.Certificate);
        var client = new DocumentReplicationService.DocumentReplicationServiceClient(memberChannel);
        var page = await client.ChangesAsync(new ChangesRequest { After = -5, Limit = int.MaxValue }, cancellationToken: Ct);
        Assert.Single(page.Changes);
        Assert.Equal(32, page.Epoch.Length);
        var bad = await Assert.ThrowsAsync<RpcException>(() => client.HintAsync(new HintRequest { Epoch = "e", Latest = -1 }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.GetAttachment(new GetAttachmentRequest { Sha256 = new string('0', 64) }, cancellationToken: Ct).ResponseStream.MoveNext(Ct));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_search_without_a_language_is_read_in_the_nodes_language_then_in_english()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = (await StartAsync(network, "NL"))[0];
        var fiNode = await network.StartNodeAsync("FI", configure: s =>
        {
            FastPull(s);
            s["Node:Practices:Language"] = "fi";
        });
        await fiNode.WaitForSnapshotAsync(s => s.Members.Count(m => !m.Certificate.IsEmpty) == 2);
        var fi = await OpenAsync(fiNode);
        var id = await PublishAsync(nl, "SYNTHETIC: Joint labour inspections");
        await HeldEverywhereAsync([fi], id, 1);

        var found = await fi.Practices.SearchPracticesAsync(new SearchPracticesRequest { Text = "labour inspections" }, fi.Auth);
        var hit = Assert.Single(found.Hits);
        Assert.Equal(id, hit.Practice.Version.DocumentId);
        Assert.Equal("en", hit.MatchedLanguage);
    }

    [Fact]
    public async Task Markdown_with_scripts_renders_inert()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL", "SE");
        var (nl, se) = (nodes[0], nodes[1]);
        var id = await PublishAsync(nl, "SYNTHETIC: Markup", "Text <script>alert('x')</script> and <img src=x onerror=alert(1)> and [link](javascript:alert(1)) and **bold**.");
        await HeldEverywhereAsync(nodes, id, 1);
        var shown = await se.Practices.GetPracticeAsync(new GetPracticeRequest { DocumentId = id }, se.Auth);
        Assert.DoesNotContain("<script", shown.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", shown.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"javascript", shown.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<strong>bold</strong>", shown.BodyHtml, StringComparison.Ordinal);
    }
}
