package dev.jrsync.daemon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A module's "refuse options" applied to the options a client sent. Mirrors options.c:
 * set_refuse_options() and parse_one_refuse_match() for the options a jrsync daemon accepts:
 * names and single letters match as rsync wildcards, "!name" accepts again, "a"/"archive" means
 * the letters of -a, an exact name also refuses its aliases (--del and --delete-during; 3.5.0's
 * same_refuse_action, which 3.2.7 lacks), and a few options (-n, -e, --server, --sender,
 * --log-format) can only be refused by their exact name. Refusing "delete" refuses every deletion mode,
 * and refusing "compress" every way of turning compression on (as options.c's post-parse checks
 * do). Options jrsync does not implement are refused anyway, with another message. Stateless.
 */
public final class RefuseOptions {
    /**
     * One row of rsync's option table: long name (null for -D), letter (0 for none), whether only
     * an exact rule refuses it, and what it does: rows with the same action are aliases.
     */
    private record Opt(String name, char letter, boolean exactOnly, String action) {
        String display() {
            if (name == null) {
                return "-" + letter;
            }
            return letter != 0 ? "--" + name + " (-" + letter + ")" : "--" + name;
        }
    }

    private static final List<Opt> TABLE = List.of(
            opt('v', "verbose"), opt('q', "quiet"), exact('n', "dry-run"), opt('l', "links"), opt('d', "dirs"),
            opt('W', "whole-file"), opt('o', "owner"), opt('g', "group"), opt('D', null), opt((char) 0, "devices"),
            opt((char) 0, "specials"), opt((char) 0, "no-specials"), opt('t', "times"), opt('p', "perms"),
            opt('r', "recursive"), opt('c', "checksum"), opt('I', "ignore-times"), opt('i', "itemize-changes"),
            opt('z', "compress"), exact((char) 0, "server"), exact((char) 0, "sender"), exact('e', "rsh"),
            opt('B', "block-size"), opt('a', "archive"), opt((char) 0, "delete"), opt((char) 0, "delete-before"),
            alias((char) 0, "delete-during", "delete-during"), alias((char) 0, "del", "delete-during"),
            opt((char) 0, "delete-delay"), opt((char) 0, "delete-after"), opt((char) 0, "numeric-ids"),
            opt((char) 0, "size-only"), opt((char) 0, "stats"), opt((char) 0, "force"),
            opt((char) 0, "ignore-errors"), alias((char) 0, "no-inc-recursive", "no-inc-recursive"),
            alias((char) 0, "no-i-r", "no-inc-recursive"), opt((char) 0, "msgs2stderr"),
            opt((char) 0, "no-msgs2stderr"), opt((char) 0, "partial"),
            alias((char) 0, "out-format", "out-format"), new Opt("log-format", (char) 0, true, "out-format"),
            alias((char) 0, "checksum-choice", "checksum-choice"), alias((char) 0, "cc", "checksum-choice"),
            alias((char) 0, "compress-level", "compress-level"), alias((char) 0, "zl", "compress-level"),
            alias((char) 0, "compress-choice", "compress-choice"), alias((char) 0, "zc", "compress-choice"),
            opt((char) 0, "new-compress"), opt((char) 0, "old-compress"), opt((char) 0, "skip-compress"),
            alias((char) 0, "compress-threads", "compress-threads"), alias((char) 0, "zt", "compress-threads"),
            opt((char) 0, "max-alloc"), opt((char) 0, "timeout"));

    private RefuseOptions() {
    }

    private static Opt opt(char letter, String name) {
        return new Opt(name, letter, false, name == null ? "-" + letter : name);
    }

    private static Opt exact(char letter, String name) {
        return new Opt(name, letter, true, name);
    }

    private static Opt alias(char letter, String name, String action) {
        return new Opt(name, letter, false, action);
    }

    /**
     * The error a daemon sends ("The server is configured to refuse --delete"), or empty when
     * nothing the client asked for is refused.
     *
     * @param spec      the module's "refuse options" value (may be empty)
     * @param given     the options in the client's order: "--name" or "-x" (TransferOptions.givenOptions)
     * @param compress  whether the options turned compression on
     * @param deleting  whether the options asked for any deletion
     */
    public static Optional<String> refusal(String spec, List<String> given, boolean compress, boolean deleting) {
        List<Opt> refused = refusedOptions(spec == null ? "" : spec);
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        for (String g : given) {
            Optional<Opt> row = lookup(g);
            if (row.isPresent() && refused.contains(row.get())) {
                return Optional.of(message(row.get()));
            }
        }
        if (compress) {
            Opt z = lookup("-z").orElseThrow();
            if (refused.contains(z)) {
                return Optional.of(message(z));
            }
        }
        if (deleting) {
            Opt delete = lookup("--delete").orElseThrow();
            if (refused.contains(delete)) {
                return Optional.of(message(delete));
            }
        }
        return Optional.empty();
    }

    /**
     * The same rules asked option by option, as stock's parser meets them (so that a daemon stops
     * where stock stops), plus the post-parse checks for compression and deletion.
     */
    public static dev.jrsync.protocol.handshake.ServerArgs.Refuser refuser(String spec) {
        List<Opt> refused = refusedOptions(spec == null ? "" : spec);
        return new dev.jrsync.protocol.handshake.ServerArgs.Refuser() {
            @Override
            public Optional<String> refuses(String given) {
                return lookup(given).filter(refused::contains).map(RefuseOptions::message);
            }

            @Override
            public Optional<String> refusesAfterParse(dev.jrsync.protocol.handshake.TransferOptions o) {
                return refusal(spec, List.of(), o.compress, o.deleting());
            }
        };
    }

    private static String message(Opt o) {
        return "The server is configured to refuse " + o.display();
    }

    private static Optional<Opt> lookup(String given) {
        for (Opt o : TABLE) {
            if (given.startsWith("--") ? given.substring(2).equals(o.name)
                    : given.length() == 2 && o.letter == given.charAt(1)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** Applies the words of {@code spec} in order to a table where everything starts accepted. */
    static List<Opt> refusedOptions(String spec) {
        List<Opt> refused = new ArrayList<>();
        for (String word : spec.trim().split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            boolean negated = word.startsWith("!") && word.length() > 1;
            String ref = negated ? word.substring(1) : word;
            boolean wild = ref.equals("a") || ref.equals("archive") || ref.matches(".*[*?\\[].*");
            String pattern = ref.equals("a") || ref.equals("archive") ? "[ardlptgoD]" : ref;
            for (Opt o : TABLE) {
                boolean hit = o.name != null && Wildmatch.matches(pattern, o.name)
                        || o.letter != 0 && Wildmatch.matches(pattern, String.valueOf(o.letter));
                if (!hit || wild && o.exactOnly) {
                    continue;
                }
                // An exact rule names a capability: its aliases go with it (3.5.0's same_refuse_action).
                for (Opt same : wild ? List.of(o) : TABLE.stream().filter(x -> x.action.equals(o.action)).toList()) {
                    refused.remove(same);
                    if (!negated) {
                        refused.add(same);
                    }
                }
                if (!wild) {
                    break;
                }
            }
        }
        return refused;
    }
}
