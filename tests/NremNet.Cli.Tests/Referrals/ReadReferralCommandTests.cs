using Google.Protobuf;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Cli.Referrals;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Contracts.Referrals.V1;

namespace NremNet.Cli.Tests.Referrals;

public sealed class ReadReferralCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void SaveAttachments_NamesMadeSafeAndUnique_WrittenForTheOwnerOnly()
    {
        var folder = _folder.Combine("saved");
        Attachment[] attachments =
        [
            Attachment("intake.pdf", [1, 2, 3]),
            Attachment("intake.pdf", [4]),
            Attachment("../../etc/passwd", [5]),
            Attachment("..", [6]),
        ];

        var paths = ReadReferralCommand.SaveAttachments(attachments, folder);

        Assert.Equal(["intake.pdf", "intake-2.pdf", "passwd", "attachment-4"], paths.Select(Path.GetFileName));
        Assert.All(paths, p => Assert.Equal(folder, Path.GetDirectoryName(p)));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(paths[0]));
        Assert.Equal([6], File.ReadAllBytes(paths[3]));
        Assert.All(paths, p => Assert.Equal(FileModes.OwnerOnly, FileModes.Of(p)));
    }

    [Fact]
    public void SaveAttachments_AFileIsThereAlready_WritesNothing()
    {
        var folder = _folder.Combine("saved");
        System.IO.Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "b.txt"), "mine");

        var error = Assert.Throws<CliException>(() => ReadReferralCommand.SaveAttachments([Attachment("a.txt", [1]), Attachment("b.txt", [2])], folder));

        Assert.Equal(ExitCodes.Conflict, error.ExitCode);
        Assert.Contains("b.txt", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "a.txt")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "b.txt")));
    }

    [Fact]
    public void PersonalData_ListsTheFieldsGiven_ByTheirFormNames()
    {
        var data = new PersonalData { GivenName = "Synthetic", DateOfBirth = "1998-04" };
        data.Languages.Add(["ro", "en"]);

        var rows = ReadReferralCommand.PersonalData(data).ToList();

        Assert.Equal([["given_name", "Synthetic"], ["date_of_birth", "1998-04"], ["languages", "ro, en"]], rows);
    }

    private static Attachment Attachment(string name, byte[] content) =>
        new() { Name = name, MediaType = "application/octet-stream", Content = ByteString.CopyFrom(content) };
}
