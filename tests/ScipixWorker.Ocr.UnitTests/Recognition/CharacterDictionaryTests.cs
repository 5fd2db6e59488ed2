using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

public sealed class CharacterDictionaryTests
{
    [Fact]
    public void Classes_are_blank_then_entries_then_space()
    {
        var dictionary = new CharacterDictionary(["x", "y"], useSpace: true);
        Assert.Equal(4, dictionary.Count);
        Assert.Equal(string.Empty, dictionary[0]);
        Assert.Equal("x", dictionary[1]);
        Assert.Equal(" ", dictionary[3]);
    }

    [Fact]
    public void Loading_keeps_entries_that_are_spaces_and_strips_only_line_breaks()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "a\r\n \nb\n");
            var dictionary = CharacterDictionary.Load(path, useSpace: false);
            Assert.Equal(4, dictionary.Count);
            Assert.Equal(" ", dictionary[2]);
            Assert.Equal("b", dictionary[3]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_dictionary_names_the_setting()
    {
        var error = Assert.Throws<FileNotFoundException>(() => CharacterDictionary.Load("/nonexistent/keys.txt", useSpace: true));
        Assert.Contains("Ocr:Dictionary", error.Message, StringComparison.Ordinal);
    }
}
