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
}
