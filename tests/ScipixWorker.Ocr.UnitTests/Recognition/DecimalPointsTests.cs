using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

/// <summary>
/// <see cref="DecimalPoints"/> through <see cref="CtcDecoder.Decode"/>, on the patterns of <see cref="MarkPatterns"/>.
/// </summary>
public sealed class DecimalPointsTests
{
    private const string Alphabet = "0123456789.,RMab";

    private static string Decode(string pattern, bool decimalPoints = true)
    {
        var dictionary = MarkPatterns.Dictionary(Alphabet);
        var probabilities = MarkPatterns.Probabilities(dictionary, Alphabet, pattern);
        return CtcDecoder.Decode(probabilities, pattern.Length, dictionary.Count, dictionary, inferSpaces: true, decimalPoints: decimalPoints).Text;
    }

    [Fact]
    public void A_point_the_model_saw_but_let_go_before_two_decimals_is_read() =>
        Assert.Equal("RM 0.00", Decode("R_M_ _0_*_0_0_"));

    [Fact]
    public void A_point_read_as_a_space_is_read_as_the_point() =>
        Assert.Equal("57.50", Decode("5_7_* _5_0_"));

    [Fact]
    public void The_comma_is_written_where_the_model_gave_it_more() =>
        Assert.Equal("12,50", Decode("1_2_+_5_0_"));

    [Fact]
    public void A_space_the_model_set_after_a_point_before_two_decimals_is_dropped() =>
        Assert.Equal("RM 2.83 ab", Decode("R_M_ _2_._ _8_3_ _a_b_"));

    [Fact]
    public void A_space_after_a_comma_stays_as_in_an_address() =>
        Assert.Equal("2, 12", Decode("2_,_ _1_2_"));

    [Fact]
    public void More_than_two_digits_after_are_no_decimals()
    {
        Assert.Equal("1000", Decode("1_*_0_0_0_"));
        Assert.Equal("5. 51200", Decode("5_._ _5_1_2_0_0_"));
    }

    [Fact]
    public void One_digit_after_is_no_amount() =>
        Assert.Equal("120", Decode("1_2_*_0_"));

    [Fact]
    public void Without_the_models_evidence_the_digits_stay_as_read()
    {
        Assert.Equal("000", Decode("0___0_0_"));
        Assert.Equal("0 40", Decode("0_' _4_0_"));
    }

    [Fact]
    public void After_a_letter_there_is_no_amount() =>
        Assert.Equal("a50", Decode("a_*_5_0_"));

    [Fact]
    public void Without_the_option_the_output_is_the_models() =>
        Assert.Equal("000", Decode("0_*_0_0_", decimalPoints: false));
}
