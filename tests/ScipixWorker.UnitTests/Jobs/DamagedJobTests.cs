using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScipixWorker.Contracts;
using ScipixWorker.Jobs;

namespace ScipixWorker.UnitTests.Jobs;

/// <summary>
/// A damaged job message is read (whole, or as a placeholder that names the problem) or fails with a JsonException (the
/// message then goes to the error queue), and the validator answers whatever was read: never another exception, which
/// would fault the message for a reason nobody can read. Bytes overwritten, inserted and cut at random in the contract's
/// example job, seeded.
/// </summary>
public sealed class DamagedJobTests
{
    private const string Example = """
        {"jobId":"3f2b8c1e-5a7d-4e21-9c55-0b1f7d2a6e90","idempotencyKey":"invoice-2026-0042","correlationId":"upload-7781",
         "image":{"container":"images","blobName":"2026/11/receipt-0042.jpg"},
         "options":{"recognitionOnly":false,"detailLevel":"full","outputs":["pdf","hocr"],"barcodes":true,"firstPage":1,"lastPage":3},
         "deadline":"2026-11-27T14:00:00Z","priority":5}
        """;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new RecognizeDocumentReader() },
    };

    [Fact]
    public void Damaged_jobs_are_read_answered_or_refused_as_json_never_otherwise()
    {
        var random = new Random(20261206);
        var original = Encoding.UTF8.GetBytes(Example);
        var (whole, placeholders, invalid, refused) = (0, 0, 0, 0);
        const string Alphabet = "{}[]\":,0123456789-.eE tfnul\\/xyzAZ";
        for (var trial = 0; trial < 5000; trial++)
        {
            var damaged = new List<byte>(original);
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(damaged.Count);
                switch (random.Next(3))
                {
                    case 0:
                        damaged[at] = (byte)Alphabet[random.Next(Alphabet.Length)];
                        break;
                    case 1:
                        damaged.Insert(at, (byte)Alphabet[random.Next(Alphabet.Length)]);
                        break;
                    default:
                        damaged.RemoveAt(at);
                        break;
                }
            }

            RecognizeDocument? job;
            try
            {
                job = JsonSerializer.Deserialize<RecognizeDocument>(damaged.ToArray(), Options);
            }
            catch (JsonException)
            {
                refused++;
                continue;
            }
            catch (Exception ex)
            {
                Assert.Fail($"trial {trial}: {ex.GetType().Name}: {ex.Message}\n{Encoding.UTF8.GetString(damaged.ToArray())}");
                return;
            }

            var problem = job is null ? null : RecognizeDocumentReader.ProblemOf(job);
            string? answer;
            try
            {
                answer = problem ?? JobValidator.Validate(job);
            }
            catch (Exception ex)
            {
                Assert.Fail($"trial {trial}: the validator threw {ex.GetType().Name}: {ex.Message}");
                return;
            }

            if (problem is not null)
            {
                placeholders++;
            }
            else if (answer is not null)
            {
                invalid++;
            }
            else
            {
                whole++;
            }
        }

        // Every way a message can end came up: the test reached them all.
        Assert.True(whole > 0 && placeholders > 0 && invalid > 0 && refused > 0, $"whole {whole}, placeholders {placeholders}, invalid {invalid}, refused {refused}");
    }
}
