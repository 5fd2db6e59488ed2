using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

/// <summary>
/// <see cref="WebAddresses"/> on a line written as the decoder holds it: <c>^</c> marks a space the model emitted (a
/// character of its own), a plain space one inferred before the next character.
/// </summary>
public sealed class WebAddressesTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.:@%/-,()";

    private static readonly CharacterDictionary Dictionary = new([.. Alphabet.Select(c => c.ToString())], useSpace: true);

    private static string Join(string line)
    {
        var characters = new List<CtcCharacter>();
        var spaceBefore = false;
        foreach (var c in line)
        {
            if (c == ' ')
            {
                spaceBefore = true;
                continue;
            }

            var @class = c == '^' ? Dictionary.SpaceIndex : Alphabet.IndexOf(c, StringComparison.Ordinal) + 1;
            characters.Add(new CtcCharacter(@class, characters.Count * 2, spaceBefore, characters.Count * 2));
            spaceBefore = false;
        }

        WebAddresses.Join(characters, Dictionary);
        return string.Concat(characters.Select(c => (c.SpaceBefore ? " " : string.Empty) + Dictionary[c.Class]));
    }

    [Fact]
    public void Spaces_the_model_emitted_after_an_address_s_periods_are_taken_out() =>
        Assert.Equal("www.popularonline.com.my", Join("www.^popularonline.^com.^my"));

    [Fact]
    public void So_are_inferred_ones_and_those_before_a_period() =>
        Assert.Equal("Visit us at www.kings.com.my", Join("Visit us at www. kings .com. my"));

    [Fact]
    public void A_domain_ending_in_com_is_an_address_without_www() =>
        Assert.Equal("BIG.COM.MY", Join("BIG. COM. MY"));

    [Fact]
    public void So_is_one_ending_in_another_top_level_label_and_a_country() =>
        Assert.Equal("mydin.net.my", Join("mydin. net.my"));

    [Fact]
    public void An_e_mail_address_is_joined_at_its_at_sign_too() =>
        Assert.Equal("EMAIL: INFO@COSWAY.COM.MY", Join("EMAIL: INFO @COSWAY. COM.MY"));

    [Fact]
    public void A_scheme_s_colon_and_slashes_are_joined_to_the_address() =>
        Assert.Equal("See https://www.example.com.my today", Join("See https: //www. example.com.my today"));

    [Fact]
    public void A_path_after_the_domain_is_left_as_read() =>
        Assert.Equal("FACEBOOK.COM/B ARWANGRICE", Join("FACEBOOK. COM/B ARWANGRICE"));

    [Fact]
    public void A_country_written_in_the_top_level_label_s_case_is_joined_across_a_space()
    {
        Assert.Equal("KINGS.COM.MY THANK YOU", Join("KINGS.COM. MY THANK YOU"));
        Assert.Equal("kings.com.my", Join("kings.com. my"));
    }

    [Fact]
    public void The_first_label_after_www_is_joined_without_a_top_level_label() =>
        Assert.Equal("WWW.POPU LARONLINE. CON. MY", Join("WWW. POPU LARONLINE. CON. MY"));

    [Fact]
    public void A_space_inside_a_label_stays() =>
        Assert.Equal("www.popu laronline.com", Join("www.popu laronline.com"));

    [Theory]
    [InlineData("TOTAL INCL. NET 5.00")]
    [InlineData("SDN. BHD. (12345-X)")]
    [InlineData("Bros. Co. KG")]
    [InlineData("GST @ 6%")]
    [InlineData("RICE @ PERMAS JAYA")]
    [InlineData("NO. 5, JALAN 3. TAMAN")]
    [InlineData("the end. Next")]
    [InlineData("TIME: 12:49 //")]
    [InlineData("Visit www.kings.com. Thank you")]
    [InlineData("Visit example.com. We open at nine")]
    [InlineData("Thank you. kings.com")]
    [InlineData("SDN. BHD. www.kings.com.my")]
    public void Spaces_after_other_periods_and_at_signs_stay(string line) =>
        Assert.Equal(line, Join(line));

    [Fact]
    public void Through_the_decoder_with_inferred_spaces_only()
    {
        // w w w . ^ k i n g s . ^ c o m: the model's own spaces after the periods.
        var line = "www.^kings.^com";
        var classes = Dictionary.Count;
        var steps = line.Length * 2;
        var probabilities = new float[steps * classes];
        for (var t = 0; t < steps; t++)
        {
            var c = t % 2 == 0 ? line[t / 2] : '_';
            probabilities[(t * classes) + (c == '_' ? 0 : c == '^' ? Dictionary.SpaceIndex : Alphabet.IndexOf(c, StringComparison.Ordinal) + 1)] = 0.9f;
        }

        Assert.Equal("www.kings.com", CtcDecoder.Decode(probabilities, steps, classes, Dictionary, inferSpaces: true).Text);
        Assert.Equal("www. kings. com", CtcDecoder.Decode(probabilities, steps, classes, Dictionary, inferSpaces: false).Text);
    }
}
