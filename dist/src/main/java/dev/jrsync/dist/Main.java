package dev.jrsync.dist;

import dev.jrsync.client.ClientMain;
import dev.jrsync.daemon.RsyncDaemon;
import dev.jrsync.daemon.ServerMode;
import dev.jrsync.transport.NettyClient;

import java.util.Arrays;

/**
 * Entry point of bin/jrsync: `--server` is the far side of a remote shell (or, with `--daemon`, a daemon
 * over one), `--daemon` runs the daemon, anything else the client.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code;
        if (ServerMode.wanted(args)) {
            code = ServerMode.main(args, System.getenv());
            System.exit(code);
        }
        if (Arrays.asList(args).contains("--daemon")) {
            code = RsyncDaemon.main(args, System.out, System.err);
        } else {
            code = new ClientMain(System.out, System.err, System.getenv()).run(args);
            NettyClient.shutdown();
        }
        System.out.flush();
        System.exit(code);
    }
}
