using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

/// <summary>
/// Synthetic recognizer inputs: a white line 48 px high, 8 px per time step, with black glyphs from row
/// <see cref="Top"/> to row <see cref="Bottom"/> at the columns given, normalized to [-1, 1] as the recognizer's input is.
/// </summary>
internal static class InkLine
{
    public const int Height = 48;
    public const int Top = 12;
    public const int Bottom = 35;

    public static float[] Tensor(int width, params (int Start, int End)[] glyphs)
    {
        var plane = width * Height;
        var tensor = new float[3 * plane];
        Array.Fill(tensor, 1f);
        foreach (var (start, end) in glyphs)
        {
            Paint(tensor, width, start, end, Top, Bottom);
        }

        return tensor;
    }

    public static void Paint(float[] tensor, int width, int start, int end, int top, int bottom)
    {
        var plane = width * Height;
        for (var c = 0; c < 3; c++)
        {
            for (var y = top; y <= bottom; y++)
            {
                for (var x = start; x <= end; x++)
                {
                    tensor[(c * plane) + (y * width) + x] = -1f;
                }
            }
        }
    }

    public static LineInk? Measure(float[] tensor, int width) => LineInk.Measure(tensor, width, Height, width, width / 8);
}

public sealed class LineInkTests
{
    [Fact]
    public void Runs_of_inked_columns_and_the_text_height_are_found()
    {
        var ink = InkLine.Measure(InkLine.Tensor(64, (0, 7), (26, 29), (50, 57)), 64)!;

        Assert.Equal([(0, 7), (26, 29), (50, 57)], ink.Runs);
        Assert.Equal(InkLine.Bottom - InkLine.Top + 1, ink.TextHeight);
    }

    [Fact]
    public void The_gap_between_two_steps_is_the_white_space_between_their_ink_over_the_text_height()
    {
        var ink = InkLine.Measure(InkLine.Tensor(64, (0, 7), (26, 29), (50, 57)), 64)!;

        Assert.Equal(18f / 24f, ink.Gap(0, 3)!.Value, 4); // columns 8..25
        Assert.Equal(0f, ink.Gap(3, 3)!.Value);
    }

    [Fact]
    public void A_step_with_no_ink_within_a_step_of_it_has_no_gap()
    {
        var ink = InkLine.Measure(InkLine.Tensor(96, (0, 7), (26, 29)), 96)!;

        Assert.Null(ink.Gap(0, 8)); // step 8's centre, column 68, is 39 px from the nearest ink
    }

    [Fact]
    public void Steps_map_to_columns_by_the_exact_ratio_of_width_to_steps_far_along_a_line()
    {
        // 1,000 columns read as 126 steps: 7.94 px a step. Step 120's centre is column 956; a whole-pixel stride of 7
        // would put it at column 843, among other glyphs, and the colon measured there would be the wrong one.
        var ink = LineInk.Measure(InkLine.Tensor(1000, (830, 845), (900, 940), (953, 958), (980, 995)), 1000, InkLine.Height, 1000, 126)!;

        Assert.Equal(12f / 24f, ink.Gap(114, 120)!.Value, 4); // the glyph at 900..940, then 941..952 white, then the colon
        Assert.Equal(21f / 24f, ink.Gap(120, 124)!.Value, 4);
    }

    [Fact]
    public void A_line_drawn_wider_than_printed_has_its_gaps_measured_as_printed()
    {
        var tensor = InkLine.Tensor(96, (0, 11), (39, 44), (75, 86));

        var asPrinted = LineInk.Measure(tensor, 96, InkLine.Height, 96, 12)!;
        var stretched = LineInk.Measure(tensor, 96, InkLine.Height, 96, 12, widthScale: 1.5)!;

        Assert.Equal(27f / 24f, asPrinted.Gap(0, 5)!.Value, 4);
        Assert.Equal(27f / 24f / 1.5f, stretched.Gap(0, 5)!.Value, 4);
    }

    [Fact]
    public void A_crops_text_band_and_darkest_ink_are_found_in_its_pixels()
    {
        var crop = new RgbBuffer(60, 40);
        crop.Data.Fill(250);
        for (var y = 8; y <= 32; y++)
        {
            crop.Row(y).Slice(3 * 5, 3 * 20).Fill(30); // a glyph, columns 5-24
            crop.Row(y).Slice(3 * 35, 3 * 20).Fill(30);
        }

        crop.Row(2).Slice(3 * 5, 3 * 3).Fill(30); // a speck above

        var (top, bottom, dark) = LineInk.TextBand(crop)!.Value;

        Assert.Equal(8f / 40, top, 4);
        Assert.Equal(33f / 40, bottom, 4);
        Assert.Equal(30, dark);
    }

    [Fact]
    public void A_blank_crop_has_no_text_band()
    {
        var crop = new RgbBuffer(60, 40);
        crop.Data.Fill(250);

        Assert.Null(LineInk.TextBand(crop));
    }

    [Fact]
    public void Specks_and_a_line_above_caught_by_the_crop_do_not_stretch_the_text_band()
    {
        var tensor = InkLine.Tensor(64, (0, 7), (26, 29), (50, 57));
        InkLine.Paint(tensor, 64, 36, 37, 0, 3); // a descender of the line above, in the gap between two glyphs

        var ink = InkLine.Measure(tensor, 64)!;

        Assert.Equal(24, ink.TextHeight);
        Assert.Equal(3, ink.Runs.Count);
    }

    [Fact]
    public void A_blank_line_has_no_ink_to_measure() =>
        Assert.Null(InkLine.Measure(InkLine.Tensor(64), 64));

    [Fact]
    public void Padding_beyond_the_content_width_is_not_read()
    {
        var tensor = InkLine.Tensor(64, (0, 7), (50, 57));

        var ink = LineInk.Measure(tensor, 64, InkLine.Height, 32, 8)!;

        Assert.Equal([(0, 7)], ink.Runs);
    }
}

/// <summary>
/// <see cref="PunctuationSpacing"/> through <see cref="CtcDecoder.Decode"/>: patterns as <see cref="CtcPattern"/> writes them,
/// one time step per character, with the glyphs' ink at the columns given (a step is 8 px; the text is 24 px high, so
/// <see cref="PunctuationSpacing.MinGap"/> is 9.6 px of white).
/// </summary>
public sealed class PunctuationSpacingTests
{
    private const string Alphabet = "L0.:\uFF1A12,\uFF0C";

    private static string Decode(string pattern, params (int Start, int End)[] glyphs) =>
        CtcPattern.Decode(Alphabet, pattern, ink: () => InkLine.Measure(InkLine.Tensor(pattern.Length * 8, glyphs), pattern.Length * 8));

    [Fact]
    public void White_space_on_both_sides_of_a_colon_becomes_spaces() =>
        Assert.Equal("L : 0", Decode("L__:__0", (0, 7), (26, 29), (50, 57)));

    [Fact]
    public void A_colon_set_close_to_its_neighbours_stays_joined() =>
        Assert.Equal("L:0", Decode("L:0", (1, 7), (10, 13), (17, 23)));

    [Fact]
    public void Only_the_side_with_the_white_space_gets_one() =>
        Assert.Equal("L: 0", Decode("L:__0", (1, 7), (10, 13), (34, 41)));

    [Fact]
    public void A_gap_just_under_the_minimum_is_not_a_space() =>
        Assert.Equal("L:", Decode("L_:", (0, 7), (17, 20))); // 9 px of 24

    [Fact]
    public void A_full_width_colon_is_spaced_the_same_way() =>
        Assert.Equal("L \uFF1A 0", Decode("L__\uFF1A__0", (0, 7), (26, 29), (50, 57)));

    [Fact]
    public void A_time_keeps_its_colons_however_wide_the_font_sets_them() =>
        Assert.Equal("12:10", Decode("1_2__:__1_0", (0, 7), (16, 23), (42, 45), (66, 71), (82, 87)));

    [Fact]
    public void After_a_period_the_white_space_decides_as_anywhere()
    {
        Assert.Equal("L. :", Decode("L_.__:", (0, 7), (18, 20), (42, 45)));
        Assert.Equal("L.:", Decode("L_.:", (0, 7), (18, 20), (26, 29)));
    }

    [Fact]
    public void A_space_already_there_is_not_doubled() =>
        Assert.Equal("L : 0", Decode("L_ _:_ _0", (0, 7), (34, 37), (66, 71)));

    [Fact]
    public void White_space_after_a_comma_becomes_a_space() =>
        Assert.Equal("L, 0", Decode("L,__0", (1, 7), (10, 12), (34, 41)));

    [Fact]
    public void No_space_is_added_before_a_comma() =>
        Assert.Equal("L,0", Decode("L__,0", (0, 7), (26, 28), (34, 40)));

    [Fact]
    public void A_comma_between_digits_stays_joined() =>
        Assert.Equal("1,0", Decode("1,__0", (1, 7), (10, 12), (34, 41)));

    [Fact]
    public void A_full_width_comma_gets_no_space() =>
        Assert.Equal("L\uFF0C0", Decode("L\uFF0C__0", (1, 7), (10, 12), (34, 41)));

    [Fact]
    public void The_ink_is_measured_only_for_lines_with_a_colon_or_a_comma()
    {
        var measured = 0;
        var text = CtcPattern.Decode(Alphabet, "L__0", ink: () =>
        {
            measured++;
            return InkLine.Measure(InkLine.Tensor(32, (0, 7), (26, 29)), 32);
        });

        Assert.Equal("L0", text);
        Assert.Equal(0, measured);
    }

    [Fact]
    public void Without_inferred_spaces_the_ink_is_not_read() =>
        Assert.Equal("L:0", CtcPattern.Decode(Alphabet, "L__:__0", inferSpaces: false, ink: () => InkLine.Measure(InkLine.Tensor(56, (0, 7), (26, 29), (50, 57)), 56)));
}
