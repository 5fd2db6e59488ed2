using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ScipixWorker.Cli.Bench;

/// <summary>
/// The worker under test, started as a child process (<c>dotnet ScipixWorker.dll</c>) with the environment it
/// inherits plus the benchmark's settings as <c>Section__Key</c> variables; stopped with SIGTERM so that it
/// shuts down the way it would in production.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly List<string> _log = [];

    private WorkerProcess(Process process, int healthPort, int metricsPort)
    {
        _process = process;
        HealthPort = healthPort;
        MetricsPort = metricsPort;
    }

    public int Pid => _process.Id;

    public int HealthPort { get; }

    public int MetricsPort { get; }

    /// <summary>Debian's jemalloc (libjemalloc2) where installed: scripts/local-stack.sh jemalloc installs it.</summary>
    private static string? Jemalloc() =>
        new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/local/lib" }
            .Select(folder => Path.Combine(folder, "libjemalloc.so.2"))
            .FirstOrDefault(File.Exists);

    public static WorkerProcess Start(string workerDll, IReadOnlyDictionary<string, string> settings)
    {
        var healthPort = FreePort();
        var metricsPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(workerDll);

        // As the container image runs it (Dockerfile): jemalloc preloaded where installed, keeping large allocations
        // (oversize_threshold:0), two glibc arenas otherwise. --worker-config LD_PRELOAD= measures glibc's malloc
        // (MALLOC_ARENA_MAX=16 also its default arenas), MALLOC_CONF=... jemalloc's options (in place of these).
        start.Environment["MALLOC_ARENA_MAX"] = "2";
        if (Jemalloc() is { } jemalloc)
        {
            start.Environment["LD_PRELOAD"] = jemalloc;
            start.Environment["MALLOC_CONF"] = "oversize_threshold:0";
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Health__Port"] = healthPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Metrics__Port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start dotnet {workerDll}.");
        var worker = new WorkerProcess(process, healthPort, metricsPort);
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>The last lines the worker wrote, less stack frames (the exception's message is what names the problem), for error messages.</summary>
    public string Tail(int lines = 20)
    {
        lock (_log)
        {
            return string.Join('\n', _log.Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).TakeLast(lines));
        }
    }

    /// <summary>Polls /health/ready until it answers 200; fails early when the process exits.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var uri = new Uri($"http://127.0.0.1:{HealthPort}/health/ready");
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The worker exited with code {_process.ExitCode} before it was ready:\n{Tail()}");
            }

            try
            {
                using var response = await _http.GetAsync(uri, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // a slow answer while the models load
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"The worker was not ready after {timeout.TotalSeconds:F0} s:\n{Tail()}");
    }

    /// <summary>The worker's /metrics text, or null when it does not answer.</summary>
    public async Task<string?> ScrapeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _http.GetStringAsync(new Uri($"http://127.0.0.1:{MetricsPort}/metrics"), cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>SIGTERM, then waits for a graceful exit; kills it after <paramref name="grace"/>. Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false }))
            {
                if (kill is not null)
                {
                    await kill.WaitForExitAsync();
                }
            }

            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
        _http.Dispose();
    }

    /// <summary>Finds ScipixWorker.dll: the Release build beside the sources, from the working directory upwards.</summary>
    public static string? FindWorkerDll()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var candidate = Path.Combine(dir.FullName, "src", "ScipixWorker", "bin", configuration, "net10.0", "ScipixWorker.dll");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Add(line);
            if (_log.Count > 200)
            {
                _log.RemoveRange(0, 100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
