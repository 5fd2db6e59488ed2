using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

/// <summary>
/// <see cref="LexiconCorrection"/> through <see cref="CtcDecoder.Decode"/> on synthetic recognizer output: one time step
/// per entry, <c>_</c> the blank at 0.9, a letter at 0.9, <c>L/I</c> L at 0.6 with I at 0.3, <c>L/I.</c> L at 0.9 with I
/// at 0.0005, <c>L/I,</c> L at 0.9 with I at 0.018 (a fiftieth), <c>I/_</c> I at 0.6 with the blank at 0.3, <c>~</c> the model's space (so <c>_/~</c> the blank at 0.6 with the
/// space at 0.3).
/// </summary>
public sealed class LexiconCorrectionTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly Lexicon Words = new(["invoice", "summary", "amount", "bear", "item", "tall", "also", "ago", "tax", "in", "voice"], ["Tali", "Kai", "Lan"]);

    private static string Decode(string steps, Lexicon? lexicon = null, bool correct = true)
    {
        var dictionary = new CharacterDictionary(Alphabet.Select(c => c.ToString()).ToArray(), useSpace: true);
        var entries = steps.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var probabilities = new float[entries.Length * dictionary.Count];
        for (var t = 0; t < entries.Length; t++)
        {
            var row = probabilities.AsSpan(t * dictionary.Count, dictionary.Count);
            var parts = entries[t].Split('/');
            var firm = parts.Length > 1 && parts[1].EndsWith('.');
            var slight = parts.Length > 1 && parts[1].EndsWith(',');
            row[Class(dictionary, parts[0])] = parts.Length == 1 || firm || slight ? 0.9f : 0.6f;
            if (parts.Length > 1)
            {
                row[Class(dictionary, parts[1].TrimEnd('.', ','))] = firm ? 0.0005f : slight ? 0.018f : 0.3f;
            }
        }

        return CtcDecoder.Decode(probabilities, entries.Length, dictionary.Count, dictionary, inferSpaces: true, lexicon: correct ? lexicon ?? Words : null).Text;
    }

    private static int Class(CharacterDictionary dictionary, string entry) =>
        entry == "_" ? 0 : entry == "~" ? dictionary.SpaceIndex : Alphabet.IndexOf(entry[0], StringComparison.Ordinal) + 1;

    [Fact]
    public void A_letter_the_model_was_in_two_minds_about_is_read_as_the_word() =>
        Assert.Equal("INVOICE", Decode("I _ N _ V _ O _ L/I _ C _ E _"));

    [Fact]
    public void The_readings_case_is_kept()
    {
        Assert.Equal("Invoice", Decode("I _ n _ v _ o _ l/i _ c _ e _"));
        Assert.Equal("invoice", Decode("i _ n _ v _ o _ l/i _ c _ e _"));
    }

    [Fact]
    public void A_firm_reading_stays() =>
        Assert.Equal("INVOLCE", Decode("I _ N _ V _ O _ L/I. _ C _ E _"));

    [Fact]
    public void A_known_name_stays_and_without_it_the_word_is_read()
    {
        Assert.Equal("TALI", Decode("T _ A _ L _ I/L _"));
        Assert.Equal("TALL", Decode("T _ A _ L _ I/L _", new Lexicon(["tall"], [])));
    }

    [Fact]
    public void A_name_is_written_on_five_times_a_words_evidence()
    {
        var names = new Lexicon([], ["Tampoi"]);

        Assert.Equal("TAMPOI", Decode("T _ A _ M _ P _ C/O _ I _", names));
        Assert.Equal("TAMPCI", Decode("T _ A _ M _ P _ C/O, _ I _", names));
        Assert.Equal("TAMPOI", Decode("T _ A _ M _ P _ C/O, _ I _", new Lexicon(["tampoi"], [])));
    }

    [Fact]
    public void A_listed_word_stays() =>
        Assert.Equal("TALL", Decode("T _ A _ L _ L/I _", new Lexicon(["tall", "tali"], [])));

    [Fact]
    public void Short_words_mixed_case_and_words_beside_digits_stay()
    {
        Assert.Equal("AGC", Decode("A _ G _ C/O _", new Lexicon(["ago"], [])));
        Assert.Equal("InVolce", Decode("I _ n _ V _ o _ l/i _ c _ e _"));
        Assert.Equal("ITEN2", Decode("I _ T _ E _ N/M _ 2 _"));
        Assert.Equal("2ITEN", Decode("2 _ I _ T _ E _ N/M _"));
        Assert.Equal("2 ITEM", Decode("2 _ ~ I _ T _ E _ N/M _"));
    }

    [Fact]
    public void Each_word_of_a_line_is_looked_at_alone() =>
        Assert.Equal("TOTAL ITEM 2", Decode("T _ O _ T _ A _ L _ ~ _ I _ T _ E _ N/M _ ~ 2 _", new Lexicon(["item", "total"], [])));

    [Fact]
    public void A_stroke_of_a_split_letter_is_dropped() =>
        Assert.Equal("SUMMARY", Decode("S _ U _ M _ I/_ _ M _ A _ R _ Y _"));

    [Fact]
    public void A_repeated_letter_the_model_ran_together_is_read_twice() =>
        Assert.Equal("SUMMARY", Decode("S _ U _ M M/_ M _ A _ R _ Y _"));

    [Fact]
    public void Another_length_needs_ten_times_the_evidence() =>
        Assert.Equal("SUMIMARY", Decode("S _ U _ M _ I/_. _ M _ A _ R _ Y _"));

    [Fact]
    public void Two_words_run_together_are_split_where_the_model_gave_the_space_a_hundredth()
    {
        Assert.Equal("TAX INVOICE", Decode("T _ A _ X _/~ I _ N _ V _ O _ I _ C _ E _"));
        Assert.Equal("TAXINVOICE", Decode("T _ A _ X _/~. I _ N _ V _ O _ I _ C _ E _"));
    }

    [Fact]
    public void No_split_without_a_blank_between_the_words_nor_into_a_short_word_or_a_name()
    {
        Assert.Equal("TAXINVOICE", Decode("T _ A _ X I _ N _ V _ O _ I _ C _ E _"));
        Assert.Equal("INTAX", Decode("I _ N _/~ T _ A _ X _"));
        Assert.Equal("KAILAN", Decode("K _ A _ I _/~ L _ A _ N _"));
    }

    [Fact]
    public void A_word_parted_by_an_inferred_space_is_read_whole()
    {
        var lexicon = new Lexicon(["adjustment", "adjustments", "tax", "invoice"], []);

        Assert.Equal("AD JUSTMENT", Decode("A _ D _/~ _/~ J _ U _ S _ T _ M _ E _ N _ T _", correct: false));
        Assert.Equal("ADJUSTMENT", Decode("A _ D _/~ _/~ J _ U _ S _ T _ M _ E _ N _ T _", lexicon));
        Assert.Equal("ADJUSTMENTS", Decode("A _ D _ J _ U _ S _/~ _/~ T _ I/M _ E _ N _ T _ S _", lexicon));
    }

    [Fact]
    public void Two_listed_words_a_lone_letter_and_a_model_space_stay_apart()
    {
        var lexicon = new Lexicon(["tax", "invoice", "taxi", "level", "levels"], []);

        Assert.Equal("TAX INVOICE", Decode("T _ A _ X _/~ _/~ I _ N _ V _ O _ I _ C _ E _", lexicon));
        Assert.Equal("LEVEL S", Decode("L _ E _ V _ E _ L _/~ _/~ S _", lexicon));
        Assert.Equal("AD JUSTMENT", Decode("A _ D ~ J _ U _ S _ T _ M _ E _ N _ T _", new Lexicon(["adjustment"], [])));
    }

    [Fact]
    public void Letters_the_print_ran_together_are_read_apart_on_a_tenth_of_a_words_evidence()
    {
        // m for rn: RETURNS scores a hundredth of RETUMS, which a two-letter edit of another length could not use.
        Assert.Equal("RETURNS", Decode("R _ E _ T _ U _ M/R M/N, _ S _", new Lexicon(["returns"], [])));

        // And the other way, rn for m.
        Assert.Equal("ITEM", Decode("I _ T _ E _ R/M N/_, _", new Lexicon(["item"], [])));
    }

    [Fact]
    public void Letters_the_model_read_firmly_stay_though_a_swap_spells_a_word()
    {
        // An abbreviation the list lacks (incl) against a listed word one swap away (ind), as the model gave it.
        Assert.Equal("INCL", Decode("I _ N _ C/D. L/_. _", new Lexicon(["ind"], [])));
        Assert.Equal("ITERN", Decode("I _ T _ E _ R/M. N/_. _", new Lexicon(["item"], [])));
    }

    [Fact]
    public void Without_the_option_the_output_is_the_models() =>
        Assert.Equal("INVOLCE", Decode("I _ N _ V _ O _ L/I _ C _ E _", correct: false));

    [Fact]
    public void The_likeliest_alignment_is_scored_and_none_fits_too_few_steps()
    {
        // Two steps, classes: blank, A. "A" aligns as (A, blank) or (A, A) or (blank, A).
        float[] probabilities = [0.2f, 0.8f, 0.6f, 0.4f];
        var runs = new (int First, int Last)[1];

        var score = LexiconCorrection.Viterbi([1], probabilities, 2, 0, 1, runs);

        Assert.Equal(Math.Log(0.8 * 0.6), score, 6);
        Assert.Equal((0, 0), runs[0]);
        Assert.Equal(double.NegativeInfinity, LexiconCorrection.Viterbi([1, 1], probabilities, 2, 0, 1, null));
    }
}
