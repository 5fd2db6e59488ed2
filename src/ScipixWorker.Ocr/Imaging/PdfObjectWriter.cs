using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Writes a PDF 1.4 file object by object: numbers reserved ahead so that objects can refer to ones written later, each
/// object's offset kept for the cross-reference table written at the end. Only what <see cref="Engine.SearchablePdf"/>
/// needs: dictionaries given as text, streams (raw or Flate-compressed).
/// </summary>
internal sealed class PdfObjectWriter(Stream output)
{
    private readonly List<long> _offsets = [0]; // object 0 is the free list's head
    private long _position;

    /// <summary>Writes the header.</summary>
    public void Begin() => Write("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n", Encoding.Latin1);

    /// <summary>A new object number, to be written later.</summary>
    public int Reserve()
    {
        _offsets.Add(-1);
        return _offsets.Count - 1;
    }

    /// <summary>Object <paramref name="number"/> (reserved): a dictionary or any other PDF value, as text.</summary>
    public void WriteObject(int number, string value)
    {
        Start(number);
        Write(value, Encoding.Latin1);
        Write("\nendobj\n", Encoding.Latin1);
    }

    /// <summary>A stream object: <paramref name="dictionary"/>'s entries (without /Length, added here) and the data as given.</summary>
    public void WriteStream(int number, string dictionary, ReadOnlySpan<byte> data)
    {
        Start(number);
        Write(string.Create(CultureInfo.InvariantCulture, $"<< {dictionary} /Length {data.Length} >>\nstream\n"), Encoding.Latin1);
        output.Write(data);
        _position += data.Length;
        Write("\nendstream\nendobj\n", Encoding.Latin1);
    }

    /// <summary>A stream object whose data is Flate-compressed here (zlib, as /FlateDecode reads).</summary>
    public void WriteCompressedStream(int number, string dictionary, ReadOnlySpan<byte> data)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(data);
        }

        WriteStream(number, $"/Filter /FlateDecode {dictionary}", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
    }

    /// <summary>The cross-reference table and trailer; every reserved object must have been written.</summary>
    /// <exception cref="InvalidOperationException">An object was reserved and never written.</exception>
    public void Finish(int catalog)
    {
        var missing = _offsets.FindIndex(1, o => o < 0);
        if (missing > 0)
        {
            throw new InvalidOperationException($"PDF object {missing} was reserved but never written.");
        }

        var table = _position;
        var xref = new StringBuilder();
        xref.Append(CultureInfo.InvariantCulture, $"xref\n0 {_offsets.Count}\n0000000000 65535 f \n");
        foreach (var offset in _offsets.Skip(1))
        {
            xref.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        xref.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {_offsets.Count} /Root {catalog} 0 R >>\nstartxref\n{table}\n%%EOF\n");
        Write(xref.ToString(), Encoding.Latin1);
    }

    private void Start(int number)
    {
        if (number <= 0 || number >= _offsets.Count || _offsets[number] >= 0)
        {
            throw new InvalidOperationException($"PDF object {number} was not reserved, or was written already.");
        }

        _offsets[number] = _position;
        Write(string.Create(CultureInfo.InvariantCulture, $"{number} 0 obj\n"), Encoding.Latin1);
    }

    private void Write(string text, Encoding encoding)
    {
        var bytes = encoding.GetBytes(text);
        output.Write(bytes);
        _position += bytes.Length;
    }
}
