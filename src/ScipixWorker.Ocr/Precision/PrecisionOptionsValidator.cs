using Microsoft.Extensions.Options;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Ocr.Precision;

/// <summary>
/// Start-up validation of the precision settings: an explicit int8/fp16 whose variant is missing or has not
/// passed the accuracy gate fails the host at start, with a message that names the setting.
/// </summary>
internal sealed class PrecisionOptionsValidator : IValidateOptions<OcrEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, OcrEngineOptions options)
    {
        try
        {
            var catalog = VariantCatalog.Load(options.Resolve(options.VariantsFile));
            OcrEngine.CheckExplicitPrecisions(options, catalog);
            return ValidateOptionsResult.Success;
        }
        catch (PrecisionConfigurationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
        catch (FormatException ex)
        {
            return ValidateOptionsResult.Fail($"{OcrEngineOptions.SectionName}:{nameof(OcrEngineOptions.VariantsFile)}: {ex.Message}");
        }
    }
}
