using System.Text;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class CMapRangesTests
{
    private const string Head = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00><ff> endcodespacerange\n";
    private const string Tail = "endbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end\n";

    [Theory]
    [InlineData("2 beginbfrange\n<2c><2c><2731>\n<41><5a><0041>\n")] // one code, and a range of 26
    [InlineData("1 beginbfrange\n<0000><ffff><0000>\n")] // 65,536 two-byte codes: the most
    [InlineData("1 beginbfrange\n<20><7e>[<0020> <0021>]\n% a comment <00><ffffffff>\n")] // an array; a comment
    [InlineData("1 beginbfrange\n<0020><7e><0020>\n")] // a high code shorter: counted over its byte, 0x00-0x7e then 256 each
    [InlineData("1 beginbfrange\n<7e><20><0020>\n")] // high below low: one code
    public void Ranges_enumerated_in_bounds_pass(string ranges)
    {
        Assert.Null(CMapRanges.Unbounded(Encoding.ASCII.GetBytes(Head + ranges + Tail)));
    }

    [Theory]
    [InlineData("1 beginbfrange\n<676167612666> <70> <70>\n", "<676167612666> <70>")] // the damaged map: trillions of codes
    [InlineData("1 beginbfrange\n<00000000><00ffffff><0000>\n", "<00000000> <00ffffff>")] // 16.7 million
    [InlineData("2 beginbfrange\n<20><7e><0020>\n<000000><01ffff>[<41>]\n", "<000000> <01ffff>")] // the second entry
    public void A_range_past_the_bound_is_named(string ranges, string named)
    {
        Assert.Equal(named, CMapRanges.Unbounded(Encoding.ASCII.GetBytes(Head + ranges + Tail)));
    }

    [Theory]
    [InlineData(new byte[] { 0x41 }, new byte[] { 0x5a }, 26)]
    [InlineData(new byte[] { 0x00, 0x20 }, new byte[] { 0x7e }, 127 * 256)]
    [InlineData(new byte[] { 0x7e }, new byte[] { 0x20 }, 1)]
    public void Codes_are_counted_as_pdfpig_counts_them(byte[] low, byte[] high, double codes)
    {
        Assert.Equal(codes, CMapRanges.Codes(low, high));
    }
}
