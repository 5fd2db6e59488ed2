using System.CommandLine;
using ScipixWorker.Cli.Common;

namespace ScipixWorker.UnitTests.Cli;

public sealed class EngineSettingsTests
{
    private static Ocr.Engine.OcrEngineOptions Read(params string[] args)
    {
        var settings = new EngineSettings();
        var command = new RootCommand();
        settings.AddTo(command);
        return settings.Read(command.Parse(args));
    }

    [Fact]
    public void Without_flags_the_narrowest_recognizer_tensor_is_the_default_224()
    {
        var options = Read();

        Assert.Equal(224, options.RecognizerMinWidth);
        Assert.True(options.InferSpaces);
        Assert.True(options.HalfWidthOutsideCjk);
        Assert.True(options.ResolveLookalikes);
        Assert.Equal(736, options.DetectorMinAreaSide);
        Assert.Equal(0.5f, options.DetectorBoxThreshold);
        Assert.Equal(16, options.DetectorMargin);
        Assert.True(options.WholeLineImages);
    }

    [Fact]
    public void Paddle_faithful_is_paddleocrs_output_exactly_no_inferred_spaces_full_width_kept_320_px_and_its_detector_input()
    {
        var options = Read("--paddle-faithful");

        Assert.Equal(320, options.RecognizerMinWidth);
        Assert.False(options.InferSpaces);
        Assert.False(options.HalfWidthOutsideCjk);
        Assert.False(options.ResolveLookalikes);       // digits in words as the model emitted them
        Assert.Equal(0, options.DetectorMinAreaSide);
        Assert.Equal(960, options.DetectorLimitSide);
        Assert.Equal(1.5f, options.DetectorUnclipRatio);
        Assert.Equal(0.6f, options.DetectorBoxThreshold);
        Assert.False(options.OrientationPerPage); // no page turn, no skew: each line on its own
        Assert.False(options.ColumnLayout);       // rows joined across the page
        Assert.Equal(0, options.DetectorMargin);       // the page as it is
        Assert.False(options.WholeLineImages);         // a line image read from the detector's boxes
        Assert.False(options.LoneColons || options.GapColons || options.LoneGlyphs || options.CondensedLines || options.TrailingMarks || options.DecimalPoints); // no marks added
        Assert.False(options.LexiconCorrection);        // words as read
        Assert.True(Read().OrientationPerPage && Read().ColumnLayout && Read().GapColons && Read().LoneGlyphs);
    }

    [Theory]
    [InlineData(new[] { "--recognizer-min-width", "256" }, 256)]
    [InlineData(new[] { "--paddle-faithful", "--recognizer-min-width", "160" }, 160)]
    public void An_explicit_minimum_width_wins(string[] args, int expected) =>
        Assert.Equal(expected, Read(args).RecognizerMinWidth);
}
