using System.Net;
using System.Net.Sockets;

namespace ScipixWorker.IntegrationTests.Support;

/// <summary>
/// A TCP relay on a loopback port in front of a real service (RabbitMQ, Azurite), for the worker to use in its place.
/// <see cref="CutAll"/> resets every connection through it, as a network failure or a broker restart does: the worker
/// sees its connection die mid-stream, and the service sees the same connection gone (RabbitMQ requeues its
/// unacknowledged deliveries). <see cref="SilenceAll"/> ends the service's side alone and leaves the worker's side open
/// and mute, as a host that died or a dropped route does: only a heartbeat or a timeout finds it. New connections are
/// relayed again at once, so the worker can reconnect, unless <see cref="Refuse"/> or <see cref="Mute"/> keeps the
/// service away (an outage) until <see cref="Open"/>.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Link> _links = [];
    private readonly List<Link> _silenced = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private volatile Mode _mode = Mode.Open;

    private TcpRelay(string upstreamHost, int upstreamPort)
    {
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far (relayed or muted), cut or not.</summary>
    public int Accepted { get; private set; }

    /// <summary>Connections reset as soon as they were made (<see cref="Refuse"/>).</summary>
    public int Refused { get; private set; }

    private enum Mode
    {
        Open,
        Refuse,
        Mute,
    }

    public static TcpRelay Start(string upstreamHost, int upstreamPort) => new(upstreamHost, upstreamPort);

    /// <summary>A service that is down: every open connection reset, and every new one reset as soon as it is made.</summary>
    public void Refuse()
    {
        _mode = Mode.Refuse;
        CutAll();
    }

    /// <summary>A service that hangs: every open connection silenced, and every new one accepted and never answered.</summary>
    public void Mute()
    {
        _mode = Mode.Mute;
        SilenceAll();
    }

    /// <summary>The service back: new connections relayed again.</summary>
    public void Open() => _mode = Mode.Open;

    /// <summary>Resets every open connection at both ends (RST, no AMQP close); returns how many there were.</summary>
    public int CutAll()
    {
        var links = TakeAll();
        foreach (var link in links)
        {
            Reset(link.Client);
            Reset(link.Upstream);
        }

        return links.Count;
    }

    /// <summary>
    /// Ends every open connection at the service's side only (RabbitMQ requeues what they held), while the worker's side
    /// stays open and hears nothing more (what it sends is read and dropped) until the worker closes it. Returns how many.
    /// </summary>
    public int SilenceAll()
    {
        var links = TakeAll();
        lock (_gate)
        {
            _silenced.AddRange(links);
        }

        foreach (var link in links)
        {
            link.Silent = true;
            Reset(link.Upstream);
        }

        return links.Count;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        lock (_gate)
        {
            _silenced.ForEach(link => Reset(link.Client));
        }

        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private List<Link> TakeAll()
    {
        lock (_gate)
        {
            List<Link> links = [.. _links];
            _links.Clear();
            return links;
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0); // close with a reset, as a dead peer or a dropped route would
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_mode == Mode.Refuse)
            {
                Reset(client);
                lock (_gate)
                {
                    Refused++;
                }

                continue;
            }

            if (_mode == Mode.Mute)
            {
                var mute = new Link(client, new Socket(SocketType.Stream, ProtocolType.Tcp)) { Silent = true };
                lock (_gate)
                {
                    _silenced.Add(mute);
                    Accepted++;
                }

                _ = DrainAsync(client, new byte[4096]);
                continue;
            }

            var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await upstream.ConnectAsync(_upstreamHost, _upstreamPort, _stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException)
            {
                Reset(client);
                upstream.Dispose();
                continue;
            }

            client.NoDelay = true;
            var link = new Link(client, upstream);
            lock (_gate)
            {
                _links.Add(link);
                Accepted++;
            }

            _ = PumpAsync(link, toUpstream: true);
            _ = PumpAsync(link, toUpstream: false);
        }
    }

    // Copies one direction until either side ends, then ends both (a half-open relay would hide the failure); a silenced
    // link's worker side is left open: its bytes are read and dropped until the worker closes it.
    private async Task PumpAsync(Link link, bool toUpstream)
    {
        var (from, to) = toUpstream ? (link.Client, link.Upstream) : (link.Upstream, link.Client);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                for (var sent = 0; sent < read && !link.Silent;)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, _stop.Token);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            if (link.Silent && toUpstream && !_stop.IsCancellationRequested)
            {
                // The send to the service's closed side failed: keep reading the worker's side until it closes.
                await DrainAsync(link.Client, buffer);
            }
        }

        lock (_gate)
        {
            _links.Remove(link);
        }

        if (link.Silent && !toUpstream)
        {
            return; // the service's side ended by SilenceAll: the worker's side stays open
        }

        Reset(link.Client);
        Reset(link.Upstream);
    }

    private async Task DrainAsync(Socket socket, byte[] buffer)
    {
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0)
            {
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private sealed class Link(Socket client, Socket upstream)
    {
        private volatile bool _silent;

        public Socket Client { get; } = client;

        public Socket Upstream { get; } = upstream;

        public bool Silent
        {
            get => _silent;
            set => _silent = value;
        }
    }
}
