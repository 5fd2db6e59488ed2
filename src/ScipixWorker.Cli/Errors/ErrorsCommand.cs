using System.CommandLine;
using System.Text.Json.Nodes;
using RabbitMQ.Client.Exceptions;
using ScipixWorker.Cli.Common;
using ScipixWorker.Cli.Submit;

namespace ScipixWorker.Cli.Errors;

/// <summary>
/// <c>scipix errors list | requeue | delete</c>: what MassTransit moved to the worker's error queue
/// (<c>recognize-document_error</c>: malformed jobs, batches that kept failing), why, and moving those jobs back to
/// the worker once the cause is fixed, or deleting them (saved first with --save). The broker and queue names come
/// from the worker's own settings, as for <c>scipix submit</c>.
/// </summary>
public static class ErrorsCommand
{
    public static Command Create()
    {
        var queue = new Option<string?>("--queue") { Description = "The error queue (default: the worker's queue name + _error, e.g. recognize-document_error; recognize-document_skipped works too)" };
        var jobs = new Option<Guid[]>("--job") { Description = "Only the messages of this job (repeatable)", AllowMultipleArgumentsPerToken = true };
        var all = new Option<bool>("--all") { Description = "Every message in the queue" };
        var limit = new Option<int?>("--limit") { Description = "Read at most this many messages, oldest first (list: 100 by default)" };
        var json = new Option<bool>("--json") { Description = "Print each message as JSON: fault headers, properties and body" };
        var to = new Option<string?>("--to") { Description = "The queue to move the jobs to (default: the worker's queue, Worker:QueueName)" };
        var save = new Option<DirectoryInfo?>("--save") { Description = "Write each deleted message to this folder as JSON first (headers and body)" };

        var summary = new Option<bool>("--summary") { Description = "Count the messages by reason (exception type and message) instead of listing them; reads them all unless --limit" };
        var list = new Command("list", "Show the messages in the error queue and why each was moved there; leaves them in place") { queue, limit, json, summary };
        list.SetAction((parse, cancellationToken) => parse.GetValue(summary)
            ? SummarizeAsync(parse.GetValue(queue), parse.GetValue(limit) ?? int.MaxValue, parse.GetValue(json), cancellationToken)
            : ListAsync(parse.GetValue(queue), parse.GetValue(limit) ?? 100, parse.GetValue(json), cancellationToken));

        var requeue = new Command("requeue", "Move jobs from the error queue back to the worker's queue (once the cause is fixed), without their fault headers")
        {
            queue, jobs, all, limit, to,
        };
        requeue.SetAction((parse, cancellationToken) => MoveAsync(
            new Move(parse.GetValue(queue), Selection(parse.GetValue(jobs), parse.GetValue(all)), parse.GetValue(limit), parse.GetValue(to), Save: null, Delete: false),
            cancellationToken));

        var delete = new Command("delete", "Delete messages from the error queue (--save keeps a copy of each)") { queue, jobs, all, limit, save };
        delete.SetAction((parse, cancellationToken) => MoveAsync(
            new Move(parse.GetValue(queue), Selection(parse.GetValue(jobs), parse.GetValue(all)), parse.GetValue(limit), To: null, parse.GetValue(save), Delete: true),
            cancellationToken));

        return new Command("errors", "The worker's error queue: list what faulted and why, move jobs back to the worker, or delete them")
        {
            list, requeue, delete,
        };
    }

    /// <summary>What requeue or delete acts on: every message (null), some jobs, or nothing asked for (empty: refused).</summary>
    private static IReadOnlySet<Guid>? Selection(Guid[]? jobs, bool all) => all ? null : (jobs ?? []).ToHashSet();

    private sealed record Move(string? Queue, IReadOnlySet<Guid>? Jobs, int? Limit, string? To, DirectoryInfo? Save, bool Delete);

    private static async Task<int> ListAsync(string? queueName, int limit, bool json, CancellationToken cancellationToken) =>
        await WithQueueAsync("list", queueName, async (queue, _) =>
        {
            var messages = new JsonArray();
            var (read, ready) = await queue.ForEachAsync(limit, (message, _) =>
            {
                if (json)
                {
                    messages.Add(message.ToJson());
                }
                else
                {
                    Console.WriteLine(message.Describe());
                }

                return Task.CompletedTask;
            }, cancellationToken);
            if (json)
            {
                Console.WriteLine(messages.ToJsonString(Json.Options));
            }

            await Console.Error.WriteLineAsync($"{queue.Name}: {read} of {ready} message(s) shown, all left in place");
            return 0;
        }, cancellationToken);

    private static async Task<int> SummarizeAsync(string? queueName, int limit, bool json, CancellationToken cancellationToken) =>
        await WithQueueAsync("list", queueName, async (queue, _) =>
        {
            var reasons = new Dictionary<string, (int Count, int Jobs)>(StringComparer.Ordinal);
            var (read, ready) = await queue.ForEachAsync(limit, (message, _) =>
            {
                var reason = message.ReasonLine();
                var (count, jobs) = reasons.GetValueOrDefault(reason);
                reasons[reason] = (count + 1, jobs + (message.JobId is null ? 0 : 1));
                return Task.CompletedTask;
            }, cancellationToken);
            var ordered = reasons.OrderByDescending(r => r.Value.Count).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
            if (json)
            {
                var array = new JsonArray([.. ordered.Select(r => (JsonNode)new JsonObject { ["reason"] = r.Key, ["messages"] = r.Value.Count, ["withJobId"] = r.Value.Jobs })]);
                Console.WriteLine(array.ToJsonString(Json.Options));
            }
            else
            {
                foreach (var (reason, (count, jobs)) in ordered)
                {
                    Console.WriteLine($"{count,6} {reason}{(jobs > 0 ? $" ({jobs} with a jobId)" : string.Empty)}");
                }
            }

            await Console.Error.WriteLineAsync($"{queue.Name}: {read} of {ready} message(s) counted, all left in place");
            return 0;
        }, cancellationToken);

    private static async Task<int> MoveAsync(Move move, CancellationToken cancellationToken)
    {
        var verb = move.Delete ? "delete" : "requeue";
        if (move.Jobs is { Count: 0 })
        {
            await Console.Error.WriteLineAsync($"scipix errors {verb}: name the jobs (--job ID) or ask for --all.");
            return 2;
        }

        return await WithQueueAsync(verb, move.Queue, async (queue, settings) =>
        {
            var target = move.To ?? settings.QueueName;
            if (!move.Delete && string.Equals(target, queue.Name, StringComparison.Ordinal))
            {
                await Console.Error.WriteLineAsync($"scipix errors requeue: --to names the error queue itself ({target}).");
                return 2;
            }

            move.Save?.Create();
            var found = new HashSet<Guid>();
            var done = 0;
            var (read, _) = await queue.ForEachAsync(move.Limit ?? int.MaxValue, async (message, delivery) =>
            {
                if (!message.IsSelected(move.Jobs))
                {
                    return; // left unacknowledged: back in its place when the channel closes
                }

                if (message.JobId is { } jobId)
                {
                    found.Add(jobId);
                }

                var name = message.JobId?.ToString() ?? message.MessageId ?? "no-job-id";
                if (move.Delete)
                {
                    if (move.Save is { } folder)
                    {
                        var file = Path.Combine(folder.FullName, $"{DateTime.UtcNow:yyyyMMddTHHmmss}-{message.Position:D5}-{name}.json");
                        await File.WriteAllTextAsync(file, message.ToJson().ToJsonString(Json.Options), cancellationToken);
                    }

                    await queue.DeleteAsync(delivery, cancellationToken);
                    await Console.Error.WriteLineAsync($"deleted #{message.Position} {name}");
                }
                else
                {
                    await queue.RequeueAsync(message, delivery, target, cancellationToken);
                    await Console.Error.WriteLineAsync($"requeued #{message.Position} {name} to {target}");
                }

                done++;
            }, cancellationToken);

            Console.WriteLine(move.Delete
                ? $"{queue.Name}: deleted {done} of {read} message(s) read{(move.Save is { } saved ? $", saved in {saved.FullName}" : string.Empty)}"
                : $"{queue.Name}: requeued {done} of {read} message(s) read to {target}");
            var missing = move.Jobs?.Except(found).ToList() ?? [];
            if (missing.Count > 0)
            {
                await Console.Error.WriteLineAsync($"scipix errors {verb}: not in {queue.Name}: {string.Join(", ", missing)}");
                return 1;
            }

            return 0;
        }, cancellationToken);
    }

    private static async Task<int> WithQueueAsync(string verb, string? queueName, Func<ErrorQueue, SubmitSettings, Task<int>> action, CancellationToken cancellationToken)
    {
        var settings = SubmitSettings.Load();
        var name = queueName ?? $"{settings.QueueName}_error";
        try
        {
            await using var queue = await ErrorQueue.OpenAsync(settings, name, cancellationToken);
            if (queue is null)
            {
                await Console.Error.WriteLineAsync($"{name} does not exist: nothing has been moved there yet.");
                return 0;
            }

            return await action(queue, settings);
        }
        catch (BrokerUnreachableException exception)
        {
            await Console.Error.WriteLineAsync($"scipix errors {verb}: cannot reach RabbitMQ ({settings}): {exception.InnerException?.Message ?? exception.Message}");
            return 3;
        }
        catch (PublishException exception)
        {
            // The broker refused or returned a copy (its queue missing): that message and those after it stay in the error queue.
            await Console.Error.WriteLineAsync($"scipix errors {verb}: the broker did not take a message ({(exception.IsReturn ? "returned: is the target queue there?" : "not confirmed")}); it and the rest stay in {name}.");
            return 1;
        }
    }
}
