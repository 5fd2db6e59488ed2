namespace ScipixWorker.Cli.Common;

/// <summary>Progress on stderr for long runs: a rewritten line on a terminal, every 10% otherwise.</summary>
internal sealed class Progress(string label, int total)
{
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private int _lastDecile = -1;

    public void Report(int done)
    {
        if (total < 2)
        {
            return;
        }

        if (_interactive)
        {
            Console.Error.Write($"\r{label}: {done}/{total}");
            if (done == total)
            {
                Console.Error.WriteLine();
            }

            return;
        }

        var decile = done * 10 / total;
        if (decile != _lastDecile)
        {
            _lastDecile = decile;
            Console.Error.WriteLine($"{label}: {done}/{total}");
        }
    }
}
