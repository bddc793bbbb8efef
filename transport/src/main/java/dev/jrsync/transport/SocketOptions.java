package dev.jrsync.transport;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * rsync's {@code --sockopts=OPTIONS} (socket.c:set_socket_options()): a list of NAME or NAME=VALUE separated by
 * spaces, tabs or commas, each set on the socket before it connects. Unknown names and failures are reported and
 * skipped, as stock does; the connection goes ahead. Immutable once parsed; thread-safe.
 *
 * <p>SO_BROADCAST, SO_SNDLOWAT, SO_RCVLOWAT, SO_SNDTIMEO and SO_RCVTIMEO are accepted names that a JVM cannot set
 * on a TCP socket; they are ignored (the last two only bound blocking calls, which jrsync never makes on a
 * connected socket).
 */
public final class SocketOptions {
    /** How a name takes its value (socket.c: OPT_BOOL, OPT_INT, OPT_ON). */
    private enum Kind { BOOL, INT, ON, IGNORED }

    private record Known(String name, Kind kind, SocketOption<?> option, int on) {
    }

    private static final int IPTOS_LOWDELAY = 0x10;
    private static final int IPTOS_THROUGHPUT = 0x08;

    private static final List<Known> KNOWN = List.of(
            new Known("SO_KEEPALIVE", Kind.BOOL, StandardSocketOptions.SO_KEEPALIVE, 0),
            new Known("SO_REUSEADDR", Kind.BOOL, StandardSocketOptions.SO_REUSEADDR, 0),
            new Known("SO_BROADCAST", Kind.IGNORED, null, 0),
            new Known("TCP_NODELAY", Kind.BOOL, StandardSocketOptions.TCP_NODELAY, 0),
            new Known("IPTOS_LOWDELAY", Kind.ON, StandardSocketOptions.IP_TOS, IPTOS_LOWDELAY),
            new Known("IPTOS_THROUGHPUT", Kind.ON, StandardSocketOptions.IP_TOS, IPTOS_THROUGHPUT),
            new Known("SO_SNDBUF", Kind.INT, StandardSocketOptions.SO_SNDBUF, 0),
            new Known("SO_RCVBUF", Kind.INT, StandardSocketOptions.SO_RCVBUF, 0),
            new Known("SO_SNDLOWAT", Kind.IGNORED, null, 0),
            new Known("SO_RCVLOWAT", Kind.IGNORED, null, 0),
            new Known("SO_SNDTIMEO", Kind.IGNORED, null, 0),
            new Known("SO_RCVTIMEO", Kind.IGNORED, null, 0));

    /** One option to set: what the socket gets, and the token as given (for messages). */
    private record Setting(String token, Known known, int value) {
    }

    /** No options. */
    public static final SocketOptions NONE = new SocketOptions(List.of(), List.of());

    private final List<Setting> settings;
    private final List<String> complaints;

    private SocketOptions(List<Setting> settings, List<String> complaints) {
        this.settings = List.copyOf(settings);
        this.complaints = List.copyOf(complaints);
    }

    /**
     * Parses {@code options} (null or empty: none). Never fails: what stock complains about while setting the
     * options ("Unknown socket option NAME", "syntax error -- NAME does not take a value") is kept for
     * {@link #apply}.
     */
    public static SocketOptions parse(String options) {
        if (options == null || options.isEmpty()) {
            return NONE;
        }
        List<Setting> settings = new ArrayList<>();
        List<String> complaints = new ArrayList<>();
        for (String tok : options.split("[ \t,]+")) {
            if (tok.isEmpty()) {
                continue;
            }
            String name = tok;
            int value = 1;
            boolean gotValue = false;
            int eq = tok.indexOf('=');
            if (eq >= 0) {
                name = tok.substring(0, eq);
                value = atoi(tok.substring(eq + 1));
                gotValue = true;
            }
            Known known = null;
            for (Known k : KNOWN) {
                if (k.name().equals(name)) {
                    known = k;
                }
            }
            if (known == null) {
                complaints.add("Unknown socket option " + name);
                continue;
            }
            if (known.kind() == Kind.ON) {
                if (gotValue) {
                    complaints.add("syntax error -- " + name + " does not take a value");
                }
                value = known.on();
            }
            settings.add(new Setting(name, known, value));
        }
        return new SocketOptions(settings, complaints);
    }

    /** True when nothing was given. */
    public boolean isEmpty() {
        return settings.isEmpty() && complaints.isEmpty();
    }

    /**
     * Sets the options on {@code channel}; reports parse complaints and failures ("rsync: failed to set socket
     * option NAME: REASON") to {@code errors} when it is not null.
     */
    public void apply(NetworkChannel channel, Consumer<String> errors) {
        if (errors != null) {
            complaints.forEach(errors);
        }
        for (Setting s : settings) {
            try {
                set(channel, s);
            } catch (IOException | RuntimeException e) {
                if (errors != null) {
                    errors.accept("rsync: failed to set socket option " + s.token() + ": " + reason(e));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void set(NetworkChannel channel, Setting s) throws IOException {
        switch (s.known().kind()) {
            case BOOL -> channel.setOption((SocketOption<Boolean>) s.known().option(), s.value() != 0);
            case INT, ON -> channel.setOption((SocketOption<Integer>) s.known().option(), s.value());
            case IGNORED -> { }
        }
    }

    private static String reason(Exception e) {
        if (e instanceof IllegalArgumentException || e instanceof UnsupportedOperationException) {
            return "Invalid argument (22)";
        }
        return NettyClient.describe(e);
    }

    /** C's atoi(): optional blanks and sign, then digits; anything else ends the number (none: 0). */
    static int atoi(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = Math.min(v * 10 + (s.charAt(i) - '0'), (long) Integer.MAX_VALUE + 1);
            i++;
        }
        v = negative ? -v : v;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    @Override
    public String toString() {
        return settings.stream().map(s -> s.token() + "=" + s.value()).toList().toString();
    }
}
