package dev.jrsync.client;

import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.handshake.Greeting;
import dev.jrsync.protocol.handshake.ServerArgs;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.session.LocalFiles;
import dev.jrsync.protocol.session.ServerLog;
import dev.jrsync.protocol.session.Session;
import dev.jrsync.protocol.session.StartServer;
import dev.jrsync.protocol.session.TransferResult;
import dev.jrsync.protocol.wire.Duplex;
import dev.jrsync.transport.StreamDuplex;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;

/**
 * A local copy's far side (main.c:do_cmd() with local_server, pipe.c:local_child()): the server role
 * runs on its own thread of this JVM, over two OS pipes, with the options it parses from the
 * server arguments this side built (and the -M options), exactly as rsync's forked child parses
 * them. The far side's messages reach the user through the multiplexed stream. One per transfer.
 */
final class LocalPipe implements AutoCloseable {
    private static final int BUFFER = 256 * 1024;
    private static final long JOIN_MILLIS = 30_000;

    private final Duplex client;
    private final Duplex server;
    private final Thread thread;
    private volatile int serverCode;

    private LocalPipe(Duplex client, Duplex server, TransferOptions serverOptions) {
        this.client = client;
        this.server = server;
        this.thread = Thread.ofVirtual().name("jrsync-local-server").unstarted(() -> serve(serverOptions));
    }

    /** Parses the far side's arguments and starts it. */
    static LocalPipe start(List<String> serverArgs, List<String> remoteOptions) throws IOException {
        List<String> args = new ArrayList<>(serverArgs);
        args.addAll(args.indexOf("."), remoteOptions);
        ServerArgs.Parser parser = new ServerArgs.Parser(ServerArgs.Refuser.NONE);
        parser.parse(args, false, false);
        if (parser.error() != null) {
            throw parser.error();
        }
        Pipe up = Pipe.open();
        Pipe down = Pipe.open();
        Duplex client = new StreamDuplex(new BufferedInputStream(Channels.newInputStream(down.source()), BUFFER),
                new BufferedOutputStream(Channels.newOutputStream(up.sink()), BUFFER));
        Duplex server = new StreamDuplex(new BufferedInputStream(Channels.newInputStream(up.source()), BUFFER),
                new BufferedOutputStream(Channels.newOutputStream(down.sink()), BUFFER));
        LocalPipe p = new LocalPipe(client, server, parser.options());
        p.thread.start();
        return p;
    }

    Duplex client() {
        return client;
    }

    private void serve(TransferOptions o) {
        ServerLog log = new ServerLog(line -> { });
        Session session = new Session(server.input(), dev.jrsync.protocol.wire.BwLimit.wrap(server.output(), o.bwlimit),
                o, true, log);
        log.attach(session);
        session.setOnFailure(server::close);
        try {
            session.setup(session.exchangeProtocol(Greeting.NEWEST_SUPPORTED));
            serverCode = StartServer.run(session, new LocalFiles());
            server.output().flush();
        } catch (RsyncException e) {
            serverCode = e.exitCode();
            StartServer.reportFailure(session, e);
        } catch (IOException | RuntimeException e) {
            serverCode = dev.jrsync.protocol.ExitCode.RERR_STREAMIO;
        } finally {
            server.close();
        }
    }

    /** Runs the client side, then waits for the far side; the larger exit code wins (main.c:client_run()). */
    TransferResult run(TransferBody body) throws IOException {
        TransferResult r;
        try {
            r = body.run();
        } finally {
            try {
                client.output().flush();
            } catch (IOException ignored) {
                // The far side is gone; its own code says why.
            }
        }
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (serverCode > r.exitCode()) {
            return new TransferResult(serverCode, r.stats(), r.bytesSent(), r.bytesReceived(), r.protocol());
        }
        return r;
    }

    @Override
    public void close() {
        client.close();
        server.close();
        thread.interrupt();
    }
}
