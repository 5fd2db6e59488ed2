using System.Text;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class PdfPagesTests
{
    [Fact]
    public void A_pdf_header_is_found_at_the_start_or_after_junk_within_the_first_kilobyte()
    {
        Assert.True(PdfPages.HasHeader("%PDF-1.7\n%\u00e2\u00e3"u8));
        Assert.True(PdfPages.HasHeader(Encoding.ASCII.GetBytes(new string(' ', 1000) + "%PDF-1.4")));
    }

    [Fact]
    public void A_header_past_the_first_kilobyte_or_a_near_miss_is_not_a_pdf()
    {
        Assert.False(PdfPages.HasHeader(Encoding.ASCII.GetBytes(new string(' ', 1024) + "%PDF-1.4")));
        Assert.False(PdfPages.HasHeader("%PDF"u8));
        Assert.False(PdfPages.HasHeader("%!PS-Adobe-3.0"u8));
        Assert.False(PdfPages.HasHeader([]));
    }

    [Theory]
    [InlineData("6 0 obj 7 0 R endobj", 7)]
    [InlineData("6 0 obj\r\n[ 12 3 R ]\r\nendobj", 12)]
    [InlineData("6 0 obj % a comment\n7 0 R%another\nendobj", 7)]
    [InlineData("6 0 obj<< /A 7 0 R >>endobj", null)] // a dictionary
    [InlineData("6 0 obj [7 0 R 8 0 R] endobj", null)] // two elements
    [InlineData("6 0 obj 7 0 RG endobj", null)] // not the keyword R
    [InlineData("6 0 obj 7 0 R", null)] // no endobj
    [InlineData("6 0 obj 7 R endobj", null)]
    [InlineData("obj 7 0 R endobj", null)]
    public void An_object_that_is_only_a_reference_is_read_from_its_bytes(string text, int? target)
    {
        var file = Encoding.ASCII.GetBytes("junk " + text);

        var reference = PdfReferenceLoops.InFile(file, 5);

        Assert.Equal(target, reference?.ObjectNumber);
        Assert.Null(PdfReferenceLoops.InFile(file, file.Length)); // an offset past the end
    }
}
