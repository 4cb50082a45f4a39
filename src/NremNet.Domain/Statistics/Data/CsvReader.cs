using System.Buffers;
using System.Text;

namespace NremNet.Domain.Statistics.Data;

/// <summary>
/// Reads RFC 4180 CSV from a UTF-8 stream (with or without a byte order mark), one row at a time: quoted fields with
/// <c>""</c> for a quote, commas and line breaks inside quotes, CRLF or LF (or a lone CR) between rows. Blank lines are
/// skipped; lines starting with <c>#</c> before the first row are comments and are kept in <see cref="Comments"/>.
/// The fields of the current row are spans into a buffer that the next <see cref="ReadAsync"/> reuses, so reading a
/// large file allocates almost nothing per row.
/// </summary>
internal sealed class CsvReader
{
    private const int BufferSize = 64 * 1024;

    /// <summary>The most characters a row may have.</summary>
    internal const int MaxRowLength = 1024 * 1024;

    // The characters that end a run of plain text: everything else is copied as a block.
    private static readonly SearchValues<char> UnquotedStops = SearchValues.Create(",\r\n");
    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("\"\r\n");
    private static readonly SearchValues<char> LineEnds = SearchValues.Create("\r\n");

    private readonly Stream _stream;
    private readonly IProgress<long>? _progress;
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private readonly byte[] _bytes = new byte[BufferSize];
    private readonly char[] _chars = new char[Encoding.UTF8.GetMaxCharCount(BufferSize)];
    private readonly List<string> _comments = [];
    private readonly StringBuilder _comment = new();

    private int _charPosition;
    private int _charLength;
    private bool _endOfStream;
    private bool _firstCharSeen;
    private long _bytesRead;

    private char[] _row = new char[1024];
    private int _rowLength;
    private int[] _fieldEnds = new int[32];
    private long[] _fieldLines = new long[32];
    private long _fieldLine;
    private int _fieldCount;
    private bool _rowQuoted;

    private State _state = State.RowStart;
    private bool _afterCarriageReturn;
    private bool _commentsAllowed = true;
    private long _physicalLine = 1;
    private long _quoteLine;

    public CsvReader(Stream stream, IProgress<long>? bytesRead)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _progress = bytesRead;
    }

    private enum State
    {
        RowStart,
        Comment,
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>The comment lines before the first row, without their line breaks.</summary>
    public IReadOnlyList<string> Comments => _comments;

    /// <summary>The line the current row starts on, from 1.</summary>
    public long Line { get; private set; }

    /// <summary>The line after the last one read: where a missing row would have been.</summary>
    public long NextLine => _physicalLine;

    /// <summary>The line a field of the current row starts on: later than <see cref="Line"/> after a quoted line break.</summary>
    public long LineOf(int index) => (uint)index < (uint)_fieldCount ? _fieldLines[index] : Line;

    /// <summary>How many fields the current row has.</summary>
    public int FieldCount => _fieldCount;

    /// <summary>What is malformed in the current row, or null; its fields are still given as far as they were read.</summary>
    public string? Problem { get; private set; }

    /// <summary>The line of <see cref="Problem"/>.</summary>
    public long ProblemLine { get; private set; }

    /// <summary>The field <see cref="Problem"/> is in.</summary>
    public int ProblemField { get; private set; }

    /// <summary>How many bytes have been read from the stream.</summary>
    public long BytesRead => _bytesRead;

    /// <summary>A field of the current row, without its quotes and with <c>""</c> read as one quote.</summary>
    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_fieldCount)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, "The row has no such field.");
            }

            var start = index == 0 ? 0 : _fieldEnds[index - 1];
            return _row.AsSpan(start, _fieldEnds[index] - start);
        }
    }

    /// <summary>Moves to the next row; false at the end of the stream.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Advance())
            {
                return true;
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return Finish();
            }
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_endOfStream)
        {
            return false;
        }

        var count = await _stream.ReadAsync(_bytes, cancellationToken).ConfigureAwait(false);
        _charPosition = 0;
        if (count == 0)
        {
            _endOfStream = true;
            _charLength = _decoder.GetChars([], _chars, flush: true);
        }
        else
        {
            _bytesRead += count;
            _progress?.Report(_bytesRead);
            _charLength = _decoder.GetChars(_bytes.AsSpan(0, count), _chars, flush: false);
        }

        if (!_firstCharSeen && _charLength > 0)
        {
            _firstCharSeen = true;
            if (_chars[0] == '\uFEFF')
            {
                _charPosition = 1;
            }
        }

        return _charLength > _charPosition || !_endOfStream;
    }

    /// <summary>Parses what is buffered; true when a row is complete.</summary>
    private bool Advance()
    {
        while (_charPosition < _charLength)
        {
            var c = _chars[_charPosition];
            switch (_state)
            {
                case State.RowStart:
                    _charPosition++;
                    if (c == '\n' && _afterCarriageReturn)
                    {
                        _afterCarriageReturn = false;
                        break;
                    }

                    _afterCarriageReturn = c == '\r';
                    if (c is '\r' or '\n')
                    {
                        _physicalLine++;
                        break;
                    }

                    StartRow();
                    if (c == '#' && _commentsAllowed)
                    {
                        _comment.Clear();
                        _state = State.Comment;
                    }
                    else
                    {
                        // Not consumed after all: the row's first field starts with it.
                        _charPosition--;
                        _state = State.FieldStart;
                    }

                    break;

                case State.Comment:
                {
                    var rest = _chars.AsSpan(_charPosition, _charLength - _charPosition);
                    var stop = rest.IndexOfAny(LineEnds);
                    if (stop < 0)
                    {
                        _comment.Append(rest);
                        _charPosition = _charLength;
                        break;
                    }

                    _comment.Append(rest[..stop]);
                    _charPosition += stop + 1;
                    _comments.Add(_comment.ToString());
                    NewLine(rest[stop]);
                    _state = State.RowStart;
                    break;
                }

                case State.FieldStart:
                    _fieldLine = _physicalLine;
                    if (c == '"')
                    {
                        _charPosition++;
                        _rowQuoted = true;
                        _quoteLine = _physicalLine;
                        _state = State.Quoted;
                    }
                    else
                    {
                        _state = State.Unquoted;
                    }

                    break;

                case State.Unquoted:
                {
                    var rest = _chars.AsSpan(_charPosition, _charLength - _charPosition);
                    var stop = rest.IndexOfAny(UnquotedStops);
                    if (stop < 0)
                    {
                        Append(rest);
                        _charPosition = _charLength;
                        break;
                    }

                    Append(rest[..stop]);
                    _charPosition += stop + 1;
                    EndField();
                    if (rest[stop] == ',')
                    {
                        _state = State.FieldStart;
                        break;
                    }

                    NewLine(rest[stop]);
                    if (EndRow())
                    {
                        return true;
                    }

                    break;
                }

                case State.Quoted:
                {
                    var rest = _chars.AsSpan(_charPosition, _charLength - _charPosition);
                    var stop = rest.IndexOfAny(QuotedStops);
                    if (stop < 0)
                    {
                        Append(rest);
                        _charPosition = _charLength;
                        _afterCarriageReturn = false;
                        break;
                    }

                    Append(rest[..stop]);
                    _charPosition += stop + 1;
                    var s = rest[stop];
                    if (s == '"')
                    {
                        _afterCarriageReturn = false;
                        _state = State.QuoteInQuoted;
                        break;
                    }

                    // A line break inside quotes is part of the value, but still a new line of the file.
                    Append(s);
                    if (s == '\n' && stop == 0 && _afterCarriageReturn)
                    {
                        _afterCarriageReturn = false;
                    }
                    else
                    {
                        _afterCarriageReturn = s == '\r';
                        _physicalLine++;
                    }

                    break;
                }

                case State.QuoteInQuoted:
                    _charPosition++;
                    if (c == '"')
                    {
                        Append('"');
                        _state = State.Quoted;
                    }
                    else if (c == ',')
                    {
                        EndField();
                        _state = State.FieldStart;
                    }
                    else if (c is '\r' or '\n')
                    {
                        EndField();
                        NewLine(c);
                        if (EndRow())
                        {
                            return true;
                        }
                    }
                    else
                    {
                        // Lenient: keep the text, but say the row is malformed.
                        if (Problem is null)
                        {
                            Problem = "text after a closing quote; inside a quoted value write a quote as \"\"";
                            ProblemLine = _physicalLine;
                            ProblemField = _fieldCount;
                        }

                        Append(c);
                        _state = State.Unquoted;
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>At the end of the stream: completes a last row that has no line break after it.</summary>
    private bool Finish()
    {
        switch (_state)
        {
            case State.RowStart:
                return false;
            case State.Comment:
                _comments.Add(_comment.ToString());
                _state = State.RowStart;
                return false;
            case State.Quoted:
                EndField();
                Problem = "a quoted value opened on this line is never closed, so the rest of the file was read as part of it; close it with \"";
                ProblemLine = _quoteLine;
                ProblemField = _fieldCount - 1;
                break;
            default:
                EndField();
                break;
        }

        _state = State.RowStart;
        if (IsBlankRow())
        {
            return false;
        }

        _commentsAllowed = false;
        return true;
    }

    private void StartRow()
    {
        Line = _physicalLine;
        _rowLength = 0;
        _fieldCount = 0;
        _rowQuoted = false;
        Problem = null;
        ProblemLine = 0;
        ProblemField = 0;
    }

    private void NewLine(char c)
    {
        _physicalLine++;
        _afterCarriageReturn = c == '\r';
    }

    private bool EndRow()
    {
        _state = State.RowStart;
        if (IsBlankRow())
        {
            return false;
        }

        _commentsAllowed = false;
        return true;
    }

    /// <summary>A line of nothing but spaces or tabs is blank too.</summary>
    private bool IsBlankRow() => _fieldCount == 1 && !_rowQuoted && _row.AsSpan(0, _rowLength).Trim(" \t").IsEmpty;

    private void EndField()
    {
        if (_fieldCount == _fieldEnds.Length)
        {
            Array.Resize(ref _fieldEnds, _fieldEnds.Length * 2);
            Array.Resize(ref _fieldLines, _fieldLines.Length * 2);
        }

        _fieldLines[_fieldCount] = _fieldLine;
        _fieldEnds[_fieldCount++] = _rowLength;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_rowLength + text.Length > _row.Length && !Grow(_rowLength + text.Length))
        {
            return;
        }

        text.CopyTo(_row.AsSpan(_rowLength));
        _rowLength += text.Length;
    }

    private void Append(char c)
    {
        if (_rowLength == _row.Length && !Grow(_rowLength + 1))
        {
            return;
        }

        _row[_rowLength++] = c;
    }

    /// <summary>
    /// Makes room for a row of <paramref name="length"/> characters, unless that is more than any sane row: then the
    /// row is marked malformed and its text dropped, so a quote left open in a large file cannot fill memory.
    /// </summary>
    private bool Grow(int length)
    {
        if (length > MaxRowLength)
        {
            if (Problem is null)
            {
                Problem = $"the row is longer than {MaxRowLength} characters, the most a row may have; is a quote left open?";
                ProblemLine = Line;
                ProblemField = _fieldCount;
            }

            return false;
        }

        Array.Resize(ref _row, Math.Min(MaxRowLength, Math.Max(_row.Length * 2, length)));
        return true;
    }
}
