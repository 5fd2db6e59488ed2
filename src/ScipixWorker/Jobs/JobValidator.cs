using ScipixWorker.Contracts;

namespace ScipixWorker.Jobs;

/// <summary>Checks that a deserialized <see cref="RecognizeDocument"/> has what a job needs.</summary>
internal static class JobValidator
{
    public const int MaxIdempotencyKeyLength = 256;

    /// <summary>Null when valid; otherwise what is wrong, naming the field.</summary>
    public static string? Validate(RecognizeDocument? job)
    {
        if (job is null)
        {
            return "The message is empty.";
        }

        if (job.JobId == Guid.Empty)
        {
            return "jobId is missing or empty.";
        }

        if (RecognizeDocumentReader.ProblemOf(job) is { } unreadable)
        {
            return unreadable;
        }

        if (job.Image is null)
        {
            return "image is missing.";
        }

        var hasUri = job.Image.Uri is not null;
        var hasName = !string.IsNullOrWhiteSpace(job.Image.Container) || !string.IsNullOrWhiteSpace(job.Image.BlobName);
        var hasData = job.Image.Data is not null;
        if ((hasUri ? 1 : 0) + (hasName ? 1 : 0) + (hasData ? 1 : 0) != 1)
        {
            return "image must have one of uri, container and blobName, or data.";
        }

        if (hasData && job.Image.Data!.Length == 0)
        {
            return "image.data is empty.";
        }

        if (hasUri && !job.Image.Uri!.IsAbsoluteUri)
        {
            return "image.uri must be absolute.";
        }

        if (hasName && (string.IsNullOrWhiteSpace(job.Image.Container) || string.IsNullOrWhiteSpace(job.Image.BlobName)))
        {
            return "image needs both container and blobName.";
        }

        if (job.Options is not null && !Enum.IsDefined(job.Options.DetailLevel))
        {
            return "options.detailLevel must be text, lines, full or words.";
        }

        if (job.Options?.Outputs?.Where(o => !Enum.IsDefined(o)).Select(o => (int?)o).FirstOrDefault() is { } unknown)
        {
            return $"options.outputs holds {unknown}: the formats are pdf, hocr, alto and markdown.";
        }

        if (job.Options is { FirstPage: < 1 } or { LastPage: < 1 })
        {
            return "options.firstPage and options.lastPage are 1-based page numbers.";
        }

        if (job.Options is { FirstPage: { } first, LastPage: { } last } && last < first)
        {
            return $"options.lastPage ({last}) is before options.firstPage ({first}).";
        }

        if (job.IdempotencyKey is { Length: > MaxIdempotencyKeyLength })
        {
            return $"idempotencyKey is longer than {MaxIdempotencyKeyLength} characters.";
        }

        return job.Priority > 9 ? "priority must be 0-9." : null;
    }
}

/// <summary>A message that is not a valid job: it goes to the error queue with this reason.</summary>
internal sealed class InvalidJobException(string message) : Exception(message);
