using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

public sealed class CondensedLinesTests
{
    private const double StepWidth = 8;

    // Ink from column 0 to column extent - 1 of a 960-px line (the rest white): glyphs 6 px wide every 8 px.
    private static Func<LineInk?> Ink(int extent)
    {
        var glyphs = Enumerable.Range(0, extent / 8).Select(k => (k * 8, (k * 8) + 5)).Append((extent - 6, extent - 1)).ToArray();
        var ink = InkLine.Measure(InkLine.Tensor(960, glyphs), 960);
        return () => ink;
    }

    [Fact]
    public void Ten_characters_over_ten_steps_of_ink_are_condensed()
    {
        Assert.True(CondensedLines.IsCondensed("PAT:379930", Ink(80), StepWidth));
    }

    [Fact]
    public void Ten_characters_over_thirty_steps_of_ink_are_not()
    {
        Assert.False(CondensedLines.IsCondensed("PAT:379930", Ink(240), StepWidth));
    }

    [Fact]
    public void The_limit_is_the_density_over_the_ink_not_over_the_whole_crop()
    {
        // 10 characters over 20 steps of ink (0.5 per step) on a 960-px crop (120 steps, 0.08 per step over the crop).
        Assert.True(CondensedLines.IsCondensed("PAT:379930", Ink(160), StepWidth));
        Assert.False(CondensedLines.IsCondensed("PAT:379930", Ink(240), StepWidth)); // 0.42 per step
    }

    [Fact]
    public void Spaces_are_not_characters_of_the_pitch()
    {
        // 8 characters and 7 spaces over 20 steps: 0.4 per step, under the limit; counting the spaces would make it 0.75.
        Assert.False(CondensedLines.IsCondensed("A B C D E F G H", Ink(160), StepWidth));
    }

    [Fact]
    public void Too_few_characters_say_nothing_and_are_not_measured()
    {
        var measured = false;

        Assert.False(CondensedLines.IsCondensed("6.00", () => { measured = true; return null; }, StepWidth));
        Assert.False(measured);
    }

    [Fact]
    public void A_line_without_ink_is_not_condensed()
    {
        Assert.False(CondensedLines.IsCondensed("PAT:379930", () => null, StepWidth));
    }

    [Fact]
    public void A_condensed_line_is_stretched_by_the_factor_at_the_recognizer_height()
    {
        var line = new RgbBuffer(258, 25);

        var stretched = CondensedLines.Stretch(line, 48);

        Assert.Equal(48, stretched.Height);
        Assert.Equal((int)Math.Ceiling(48 * CondensedLines.Factor * 258 / 25), stretched.Width); // 744 instead of 496
        stretched.ReturnToPool();
    }
}
