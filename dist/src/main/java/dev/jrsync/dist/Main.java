package dev.jrsync.dist;

import dev.jrsync.client.ClientMain;
import dev.jrsync.daemon.RsyncDaemon;
import dev.jrsync.transport.NettyClient;

import java.util.Arrays;

/** Entry point of bin/jrsync: `--daemon` runs the daemon, anything else the client. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code;
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
