package dev.jrsync.client;

import dev.jrsync.protocol.checksum.ChecksumType;
import dev.jrsync.protocol.handshake.Greeting;
import dev.jrsync.protocol.token.CompressionType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code --version} and {@code --help} in the layout of rsync 3.5.0's options.c
 * (print_rsync_version(), usage()). The option lines come from the picocli model, so only options
 * the client accepts are listed; the algorithm lists come from the engine's enums. Stateless.
 */
final class Usage {
    /** jrsync's release, as "version X" in --version and "[client=jrsync X]" in error lines. */
    static final String VERSION_NUMBER = "0.1.0";
    private static final int NAME_COLUMN = 24;

    private Usage() {
    }

    /**
     * The first line keeps stock's shape, "NAME  version X  protocol version N", so scripts that
     * parse "protocol version N" read jrsync's newest protocol.
     */
    static String versionLine() {
        return "jrsync  version " + VERSION_NUMBER + "  protocol version " + Greeting.NEWEST_SUPPORTED;
    }

    static void printVersion(PrintStream out) {
        out.println(versionLine());
        out.println("A pure-Java implementation of the rsync protocol (versions " + Greeting.OLDEST_SUPPORTED + "-"
                + Greeting.NEWEST_SUPPORTED + ").");
        out.println("Capabilities:");
        wrap(out, List.of("64-bit files", "64-bit timestamps", "64-bit long ints", "symlinks", "symtimes",
                "IPv6", "no socketpairs", "no hardlinks", "no atimes", "no batchfiles", "no inplace", "no append",
                "no ACLs", "no xattrs", "optional secluded-args", "no iconv", "no prealloc", "no stop-at", "no crtimes"));
        out.println("Optimizations:");
        wrap(out, List.of("no SIMD-roll", "no asm-roll", "no openssl-crypto", "no asm-MD5"));
        out.println("Checksum list:");
        out.println("    " + checksumList());
        out.println("Compress list:");
        out.println("    " + compressList());
        out.println("Daemon auth list:");
        out.println("    " + String.join(" ", Greeting.OUR_DIGESTS));
        out.println();
        out.println("jrsync comes with ABSOLUTELY NO WARRANTY.  This is free software, and you");
        out.println("are welcome to redistribute it under certain conditions.");
    }

    /**
     * -VV: the same facts as JSON, in stock's layout (usage.c), so scripts and test suites that ask
     * rsync what it can do get jrsync's true answers.
     */
    static void printVersionJson(PrintStream out) {
        String caps = String.join(",\n    ", List.of(
                "\"file_bits\": 64, \"inum_bits\": 64, \"timestamp_bits\": 64",
                "\"long_int_bits\": 64, \"socketpairs\": false, \"symlinks\": true",
                "\"symtimes\": true, \"hardlinks\": false, \"hardlink_specials\": false",
                "\"hardlink_symlinks\": false, \"IPv6\": true, \"atimes\": false",
                "\"batchfiles\": false, \"inplace\": false, \"append\": false, \"ACLs\": false",
                "\"ACL_at\": false, \"xattrs\": false, \"secluded_args\": \"optional\"",
                "\"iconv\": false, \"prealloc\": false, \"stop_at\": false, \"crtimes\": false"));
        out.println("{");
        out.println("  \"program\": \"jrsync\",");
        out.println("  \"version\": \"" + VERSION_NUMBER + "\",");
        out.println("  \"protocol\": \"" + Greeting.NEWEST_SUPPORTED + ".0\",");
        out.println("  \"capabilities\": {");
        out.println("    " + caps);
        out.println("  },");
        out.println("  \"optimizations\": {");
        out.println("    \"SIMD_roll\": false, \"asm_roll\": false, \"openssl_crypto\": false,");
        out.println("    \"asm_MD5\": false");
        out.println("  },");
        out.println("  \"checksum_list\": [");
        out.println("    " + jsonList(checksumList().replace(" (xxhash)", "")));
        out.println("  ],");
        out.println("  \"compress_list\": [");
        out.println("    " + jsonList(compressList()));
        out.println("  ],");
        out.println("  \"daemon_auth_list\": [");
        out.println("    " + jsonList(String.join(" ", Greeting.OUR_DIGESTS)));
        out.println("  ],");
        out.println("  \"caveat\": \"jrsync comes with ABSOLUTELY NO WARRANTY\"");
        out.println("}");
    }

    private static String jsonList(String spaceSeparated) {
        return java.util.Arrays.stream(spaceSeparated.split(" ")).map(w -> "\"" + w + "\"")
                .collect(Collectors.joining(", "));
    }

    /** Every checksum jrsync implements, in preference order, with rsync's alias as "(xxhash)". */
    static String checksumList() {
        List<String> names = new ArrayList<>();
        for (ChecksumType t : ChecksumType.values()) {
            names.add(t.wireName());
            if (t == ChecksumType.XXH64) {
                names.add("(xxhash)");
            }
        }
        return String.join(" ", names);
    }

    static String compressList() {
        return java.util.Arrays.stream(CompressionType.values()).map(CompressionType::wireName)
                .collect(Collectors.joining(" "));
    }

    private static void wrap(PrintStream out, List<String> items) {
        StringBuilder line = new StringBuilder("   ");
        for (int i = 0; i < items.size(); i++) {
            String item = " " + items.get(i) + (i < items.size() - 1 ? "," : "");
            if (line.length() + item.length() > 75) {
                out.println(line);
                line = new StringBuilder("   ");
            }
            line.append(item);
        }
        out.println(line);
    }

    static void printHelp(PrintStream out, CommandSpec spec) {
        out.println(versionLine());
        out.println();
        out.println("jrsync is a pure-Java rsync: a client (below) and a daemon (--daemon) that speak");
        out.println("the rsync protocol with stock rsync.");
        out.println();
        out.println("Usage: jrsync [OPTION]... SRC [SRC]... [USER@]HOST::DEST");
        out.println("  or   jrsync [OPTION]... SRC [SRC]... rsync://[USER@]HOST[:PORT]/DEST");
        out.println("  or   jrsync [OPTION]... [USER@]HOST::SRC [DEST]");
        out.println("  or   jrsync [OPTION]... rsync://[USER@]HOST[:PORT]/SRC [DEST]");
        out.println("  or   jrsync --daemon [--config=FILE] [--no-detach] [--port=PORT] [--address=ADDR]");
        out.println("The '::' & 'rsync://' usages connect to an rsync daemon, and require SRC or DEST");
        out.println("to start with a module name; without DEST the source is listed. Remote-shell");
        out.println("(HOST:PATH) and local-to-local copies are not supported yet.");
        out.println();
        out.println("Options");
        for (OptionSpec o : spec.options()) {
            out.println(optionLine(o));
        }
        out.println();
        out.println("Daemon mode");
        out.println("jrsync --daemon [--config=FILE] [--no-detach] [--port=PORT] [--address=ADDR]");
        out.println("serves the modules of an rsyncd.conf (default /etc/rsyncd.conf) to rsync clients.");
        out.println("Use \"jrsync --daemon --help\" to see the daemon-mode command-line options.");
    }

    /** "--long=PARAM, -s" padded to stock's column, then the description. */
    static String optionLine(OptionSpec o) {
        List<String> longs = new ArrayList<>();
        List<String> shorts = new ArrayList<>();
        for (String n : o.names()) {
            (n.startsWith("--") ? longs : shorts).add(n);
        }
        String param = o.typeInfo().isBoolean() || o.arity().max() == 0 ? "" : "=" + o.paramLabel();
        List<String> shown = new ArrayList<>();
        if (!longs.isEmpty()) {
            shown.add(longs.getFirst() + param);
        }
        for (String s : shorts) {
            shown.add(longs.isEmpty() ? s + param : s);
        }
        String names = String.join(", ", shown);
        String desc = String.join(" ", o.description());
        if (longs.size() > 1) {
            desc += " (aka " + String.join(", ", longs.subList(1, longs.size())) + ")";
        }
        return names.length() < NAME_COLUMN ? String.format("%-" + NAME_COLUMN + "s %s", names, desc)
                : names + " " + desc;
    }
}
