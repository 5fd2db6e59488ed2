using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

/// <summary>
/// <see cref="LookalikeResolver"/> through <see cref="CtcDecoder.Decode"/>, on output written as <see cref="SteppedOutput"/>
/// reads it.
/// </summary>
public sealed class LookalikeResolverTests
{
    private static readonly CharacterDictionary Dictionary = new([.. "NOTelIBDMLAt012458.é(,%S$GsVnvoicCP".Select(c => c.ToString())], useSpace: true);

    private static string Decode(bool resolve, params string[] steps) =>
        CtcDecoder.Decode(SteppedOutput.Probabilities(Dictionary, steps), steps.Length, Dictionary.Count, Dictionary, inferSpaces: true, resolveLookalikes: resolve).Text;

    private static string Decode(params string[] steps) => Decode(true, steps);

    [Fact]
    public void A_digit_after_a_letter_that_the_model_also_took_for_a_letter_becomes_that_letter() =>
        Assert.Equal("NO", Decode("N", "_", "0|O=.3"));

    [Fact]
    public void A_digit_the_model_was_sure_of_stays() =>
        Assert.Equal("N0", Decode("N", "_", "0|O=.05"));

    [Fact]
    public void The_likeliest_letter_replaces_the_digit() =>
        Assert.Equal("NO", Decode("N", "_", "0|D=.12|O=.2"));

    [Fact]
    public void A_digit_ending_a_word_after_letters_is_resolved() =>
        Assert.Equal("Tel", Decode("T", "_", "e", "_", "1|l=.27|I=.02"));

    [Fact]
    public void Two_digits_between_letters_are_resolved_together() =>
        Assert.Equal("TION", Decode("T", "_", "1|I=.2", "_", "0|O=.15", "_", "N"));

    [Fact]
    public void A_run_is_resolved_whole_or_not_at_all() =>
        Assert.Equal("B02", Decode("B", "_", "0|O=.3", "_", "2|D=.01"));

    [Fact]
    public void Longer_runs_of_digits_after_letters_are_codes_and_stay() =>
        Assert.Equal("A000", Decode("A", "_", "0|O=.5", "_", "0|O=.5", "_", "0|O=.5"));

    [Fact]
    public void Digits_that_start_a_word_stay_as_quantities_and_units_do() =>
        Assert.Equal("40ML", Decode("4", "_", "0|O=.3", "_", "M", "_", "L"));

    [Fact]
    public void A_letter_after_digits_that_the_model_also_took_for_a_digit_becomes_that_digit() =>
        Assert.Equal("5511", Decode("5", "_", "5", "_", "1", "_", "t|1=.3"));

    [Fact]
    public void A_letter_between_digits_is_resolved() =>
        Assert.Equal("118B", Decode("1", "_", "L|1=.2", "_", "8", "_", "B"));

    [Fact]
    public void A_space_ends_the_word() =>
        Assert.Equal("N 0", Decode("N", " ", "0|O=.3"));

    [Fact]
    public void An_inferred_space_ends_the_word_too() =>
        Assert.Equal("N 0", Decode("N", "_", "_| =.3", "_", "0|O=.3"));

    [Fact]
    public void Punctuation_ends_the_word() =>
        Assert.Equal("N.0", Decode("N", "_", ".", "_", "0|O=.3"));

    [Fact]
    public void Characters_outside_ascii_are_neither_letters_nor_digits() =>
        Assert.Equal("é0", Decode("é", "_", "0|O=.3"));

    [Fact]
    public void Without_resolving_the_output_is_as_emitted() =>
        Assert.Equal("N0", Decode(false, "N", "_", "0|O=.3"));

    [Fact]
    public void A_letter_alone_before_a_decimal_point_and_digits_that_the_model_also_took_for_a_digit_is_that_digit() =>
        Assert.Equal("T(0.00", Decode("T", "_", "(", "_", "O|0=.3", "_", ".", "_", "0", "_", "0"));

    [Fact]
    public void So_it_is_before_a_percent_sign() =>
        Assert.Equal("0% D", Decode("D|0=.2", "_", "%", " ", "D"));

    [Fact]
    public void A_letter_alone_before_a_period_the_model_saw_no_digit_in_stays() =>
        Assert.Equal("A.1", Decode("A|4=.01", "_", ".", "_", "1"));

    [Fact]
    public void A_letter_that_ends_a_word_before_a_decimal_point_stays() =>
        Assert.Equal("NO.1", Decode("N", "_", "O|0=.3", "_", ".", "_", "1"));

    [Fact]
    public void A_letter_alone_before_a_period_that_ends_the_number_stays() =>
        Assert.Equal("O. 1", Decode("O|0=.3", "_", ".", " ", "1"));

    [Fact]
    public void Without_the_option_the_letter_before_a_number_stays() =>
        Assert.Equal("O%", Decode(false, "O|0=.3", "_", "%"));

    [Fact]
    public void A_capital_S_before_an_amount_that_the_model_also_took_for_a_dollar_sign_is_one() =>
        Assert.Equal("T $5.50", Decode("T", " ", "S|$=.2", "_", "5", "_", ".", "_", "5", "_", "0"));

    [Fact]
    public void An_S_the_model_was_sure_of_stays() =>
        Assert.Equal("S5.50", Decode("S|$=.05", "_", "5", "_", ".", "_", "5", "_", "0"));

    [Fact]
    public void An_S_before_a_number_that_is_no_amount_stays()
    {
        Assert.Equal("S005", Decode("S|$=.3", "_", "0", "_", "0", "_", "5"));
        Assert.Equal("S5.505", Decode("S|$=.3", "_", "5", "_", ".", "_", "5", "_", "0", "_", "5"));
        Assert.Equal("S5.5", Decode("S|$=.3", "_", "5", "_", ".", "_", "5"));
    }

    [Fact]
    public void An_S_inside_a_word_stays() =>
        Assert.Equal("TS5.50", Decode("T", "_", "S|$=.3", "_", "5", "_", ".", "_", "5", "_", "0"));

    [Fact]
    public void A_small_s_inside_a_word_of_capitals_is_a_capital() =>
        Assert.Equal("GST", Decode("G", "_", "s|S=.05", "_", "T"));

    [Fact]
    public void Capitals_that_only_their_size_tells_inside_a_word_of_small_letters_are_small() =>
        Assert.Equal("Invoice", Decode("I", "_", "n", "_", "V|v=.2", "_", "O|o=.03", "_", "i", "_", "c", "_", "e"));

    [Fact]
    public void A_single_capital_inside_a_word_of_small_letters_starts_a_part_of_a_name_and_stays() =>
        Assert.Equal("TeOn", Decode("T", "_", "e", "_", "O|o=.3", "_", "n"));

    [Fact]
    public void Capitals_that_end_a_word_of_small_letters_stay() =>
        Assert.Equal("eiOS", Decode("e", "_", "i", "_", "O|o=.3", "_", "S|s=.3"));

    [Fact]
    public void A_plural_s_after_capitals_stays() =>
        Assert.Equal("PCs", Decode("P", "_", "C", "_", "s|S=.3"));

    [Fact]
    public void A_word_of_both_cases_stays() =>
        Assert.Equal("DsNe", Decode("D", "_", "s|S=.3", "_", "N", "_", "e"));

    [Fact]
    public void Letters_whose_cases_differ_in_shape_keep_their_case() =>
        Assert.Equal("GeT", Decode("G", "_", "e", "_", "T"));

    [Fact]
    public void A_word_s_first_letter_keeps_its_case() =>
        Assert.Equal("sTT", Decode("s|S=.3", "_", "T", "_", "T"));

    [Fact]
    public void A_letter_the_model_gave_no_other_case_stays() =>
        Assert.Equal("GsT", Decode("G", "_", "s|S=.005", "_", "T"));

    [Fact]
    public void Without_the_option_the_case_stays() =>
        Assert.Equal("GsT", Decode(false, "G", "_", "s|S=.3", "_", "T"));

    [Fact]
    public void A_lower_case_l_starting_a_word_before_a_consonant_that_the_model_also_took_for_I_is_I() =>
        Assert.Equal("Ite", Decode("l|I=.14", "_", "t", "_", "e"));

    [Fact]
    public void So_it_is_before_a_capital_consonant() =>
        Assert.Equal("IT", Decode("l|I=.2", "_", "T"));

    [Fact]
    public void An_l_the_model_was_sure_of_stays() =>
        Assert.Equal("lte", Decode("l|I=.05", "_", "t", "_", "e"));

    [Fact]
    public void An_l_before_a_vowel_stays() =>
        Assert.Equal("le", Decode("l|I=.3", "_", "e"));

    [Fact]
    public void An_l_inside_a_word_stays() =>
        Assert.Equal("elt", Decode("e", "_", "l|I=.3", "_", "t"));

    [Fact]
    public void An_l_after_a_space_or_punctuation_starts_a_word() =>
        Assert.Equal("e It (Ite", Decode("e", " ", "l|I=.2", "_", "t", " ", "(", "_", "l|I=.2", "_", "t", "_", "e"));

    [Fact]
    public void Without_the_option_the_l_stays() =>
        Assert.Equal("lte", Decode(false, "l|I=.3", "_", "t", "_", "e"));

    [Fact]
    public void A_period_after_a_number_that_the_model_also_took_for_a_comma_is_a_comma() =>
        Assert.Equal("10, TA", Decode("1", "_", "0", "_", ".|,=.2", " ", "T", "_", "A"));

    [Fact]
    public void So_it_is_at_the_end_of_a_line() =>
        Assert.Equal("10,", Decode("1", "_", "0", "_", ".|,=.15"));

    [Fact]
    public void A_decimal_point_stays() =>
        Assert.Equal("4.5", Decode("4", "_", ".|,=.4", "_", "5"));

    [Fact]
    public void A_period_after_a_letter_stays() =>
        Assert.Equal("A. T", Decode("A", "_", ".|,=.4", " ", "T"));

    [Fact]
    public void A_period_the_model_was_sure_of_stays() =>
        Assert.Equal("10. T", Decode("1", "_", "0", "_", ".|,=.05", " ", "T"));
}
