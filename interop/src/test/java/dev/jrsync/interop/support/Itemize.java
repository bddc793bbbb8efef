package dev.jrsync.interop.support;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Normalises {@code -i}/{@code -v} client output for comparison between implementations: drops what legitimately
 * differs between runs (byte counts, rates, speedup, progress banners) and keeps the per-file lines in order.
 * Stateless and thread-safe.
 */
public final class Itemize {

    private static final List<Pattern> DROPPED = List.of(
            Pattern.compile("sending incremental file list"),
            Pattern.compile("receiving incremental file list"),
            Pattern.compile("(building|receiving) file list \\.\\.\\. ?done"),
            // Printed when the destination directory did not exist; names an absolute path that differs per run.
            Pattern.compile("created directory .*"),
            Pattern.compile("sent [\\d,.]+[KMGTP]? bytes {2}received [\\d,.]+[KMGTP]? bytes {2}[\\d,.]+[KMGTP]? bytes/sec"),
            Pattern.compile("total size is [\\d,.]+[KMGTP]? {2}speedup is [\\d,.]+( \\(DRY RUN\\))?"),
            // The --stats block; its numbers are compared through Stats instead.
            Pattern.compile("(Number of (files|created files|deleted files|regular files transferred)"
                    + "|Total (file size|transferred file size|bytes sent|bytes received)"
                    + "|Literal data|Matched data|File list (size|generation time|transfer time)): .*"));

    private Itemize() {}

    /** The lines of {@code output} without blank, summary and statistics lines, trailing blanks stripped. */
    public static List<String> normalise(String output) {
        return output.lines()
                .map(String::stripTrailing)
                .filter(line -> !line.isEmpty())
                .filter(line -> DROPPED.stream().noneMatch(p -> p.matcher(line).matches()))
                .toList();
    }
}
