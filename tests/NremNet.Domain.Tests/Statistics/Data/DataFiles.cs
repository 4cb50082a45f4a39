using System.Text;
using NremNet.Domain.Statistics;

namespace NremNet.Domain.Tests.Statistics.Data;

/// <summary>Files for the reader tests, built in memory.</summary>
internal static class DataFiles
{
    public const string CaseHeader = "record_id,year_identified,identification_status,sex,age,citizenship,exploitation,assistance,residence_permit,referrals";

    public const string ValidCaseRow = "R-1,2020,IDENT,F,25,NG,SEX;LAB,yes,no,out:NG";

    public static MemoryStream Utf8(string text, bool byteOrderMark = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new MemoryStream(byteOrderMark ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);
    }

    /// <summary>A valid case row with one column set to <paramref name="value"/>.</summary>
    public static string CaseRow(string column, string value, string id = "R-1")
    {
        var fields = ValidCaseRow.Split(',');
        fields[0] = id;
        fields[Array.IndexOf(CaseHeader.Split(','), column)] = value;
        return string.Join(',', fields);
    }

    /// <summary>Everything about a record, for comparing records whose lists are different objects.</summary>
    public static string Describe(CaseRecord record) =>
        $"{record.RecordId}|{record.YearIdentified}|{record.IdentificationStatus}|{record.Sex}|{record.Age}|{record.Citizenship}|{string.Join(';', record.Exploitation)}|{record.Assisted}|{record.ResidencePermit}|{string.Join(';', record.ReferredTo)}|{string.Join(';', record.ReferredFrom)}";

    public static string Describe(PublishedValue value) => $"{value.Indicator}|{value.Year}|{value.Cell.Key}|{value.Value}|{value.Status}";
}

/// <summary>A stream that gives at most a few bytes per read, so every value and line break crosses buffer ends.</summary>
internal sealed class TrickleStream(byte[] bytes, int chunk) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => bytes.Length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, chunk), bytes.Length - _position);
        Array.Copy(bytes, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Records progress reports as they are made (unlike <see cref="Progress{T}"/>, which posts them).</summary>
internal sealed class RecordingProgress : IProgress<long>
{
    public List<long> Reports { get; } = [];

    public void Report(long value) => Reports.Add(value);
}
