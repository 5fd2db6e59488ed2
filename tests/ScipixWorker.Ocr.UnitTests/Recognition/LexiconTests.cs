using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

public sealed class LexiconTests
{
    private static readonly Lexicon Small = new(["invoice", "summary", "amount", "bear", "item", "tall", "also"], ["Tali", "Besar"]);

    [Fact]
    public void Words_and_names_are_known_and_nothing_else()
    {
        Assert.True(Small.Contains("invoice"));
        Assert.True(Small.Contains("tali"));
        Assert.False(Small.Contains("involce"));
        Assert.False(Small.Contains("invoic"));
        Assert.Equal(9, Small.Count);
    }

    [Fact]
    public void A_substitution_finds_the_word() =>
        Assert.Contains(("invoice", 1, false), Small.Near("involce", 1));

    [Fact]
    public void A_name_is_found_as_a_name()
    {
        Assert.Contains(("tali", 1, true), Small.Near("tali", 1).Concat(Small.Near("talj", 1)));
        Assert.Contains(("tall", 1, false), Small.Near("tali", 1));
    }

    [Fact]
    public void A_narrow_letter_inside_the_word_may_be_dropped() =>
        Assert.Contains(("summary", 1, false), Small.Near("sumimary", 1));

    [Fact]
    public void A_broad_letter_is_never_dropped() =>
        Assert.DoesNotContain(Small.Near("besar", 2), n => n.Word == "bear");

    [Fact]
    public void The_first_and_last_letters_are_never_dropped()
    {
        Assert.DoesNotContain(Small.Near("titem", 1), n => n.Word == "item");
        Assert.DoesNotContain(Small.Near("itemt", 1), n => n.Word == "item");
        Assert.Contains(("item", 1, false), Small.Near("itiem", 1));
    }

    [Fact]
    public void A_letter_may_go_in_inside_the_word_but_not_before_or_after_it()
    {
        Assert.Contains(("summary", 1, false), Small.Near("sumary", 1));
        Assert.DoesNotContain(Small.Near("tem", 1), n => n.Word == "item");
        Assert.DoesNotContain(Small.Near("ite", 1), n => n.Word == "item");
    }

    [Fact]
    public void Two_edits_are_found_when_asked_for()
    {
        Assert.Empty(Small.Near("arnount", 1));
        Assert.Contains(("amount", 2, false), Small.Near("arnount", 2));
    }

    [Fact]
    public void A_words_file_adds_candidates_to_the_bundled_list()
    {
        var file = WordsFile("# comment", "  Tampoi ", string.Empty, "KULAI");
        try
        {
            var lexicon = Lexicon.WithWordsFile(file);

            Assert.Contains(("tampoi", 1, false), lexicon.Near("tampci", 1));
            Assert.True(lexicon.IsWord("kulai"));
            Assert.True(lexicon.IsWord("invoice"));
            Assert.False(Lexicon.English.IsWord("tampoi"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_words_file_that_is_missing_or_holds_no_word_on_a_line_is_refused_by_name()
    {
        var missing = Assert.Throws<FileNotFoundException>(() => Lexicon.WithWordsFile("/nonexistent/words.txt"));
        Assert.Contains("Ocr:LexiconWordsFile", missing.Message, StringComparison.Ordinal);

        var file = WordsFile("tampoi", "jalan 7");
        try
        {
            var bad = Assert.Throws<InvalidDataException>(() => Lexicon.WithWordsFile(file));
            Assert.Contains("Ocr:LexiconWordsFile", bad.Message, StringComparison.Ordinal);
            Assert.Contains("line 2", bad.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string WordsFile(params string[] lines)
    {
        var file = Path.Combine(Path.GetTempPath(), $"scipix-words-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(file, lines);
        return file;
    }

    [Fact]
    public void The_bundled_list_has_english_words_and_knows_malay_ones()
    {
        var english = Lexicon.English;

        Assert.InRange(english.Count, 90_000, 100_000);
        Assert.True(english.Contains("invoice"));
        Assert.True(english.Contains("jalan"));
        Assert.True(english.Contains("tali"));
        Assert.Contains(english.Near("involce", 1), n => n.Word == "invoice");
        Assert.Contains(("jalan", 1, true), english.Near("jalen", 1));
    }
}
