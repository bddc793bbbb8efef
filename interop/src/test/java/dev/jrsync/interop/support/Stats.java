package dev.jrsync.interop.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counters from rsync's {@code --stats} block, as printed by the client (stock rsync 3.2.7/3.5.0 format, protocol
 * 29 and later). Numbers must be plain ({@code 1,234}); {@code -h} output ({@code 1.21K}) is rejected because it
 * loses precision. {@code createdFiles} and {@code deletedFiles} are empty when rsync did not print them (a pushing
 * client, for example, prints no "Number of deleted files"). Immutable.
 */
public record Stats(long files, OptionalLong createdFiles, OptionalLong deletedFiles, long regularFilesTransferred, long totalFileSize,
        long totalTransferredFileSize, long literalData, long matchedData, long fileListSize, long totalBytesSent,
        long totalBytesReceived) {

    private static final Pattern LINE = Pattern.compile("^([A-Z][A-Za-z ]+): (\\S+)(.*)$");
    private static final Pattern PLAIN = Pattern.compile("\\d{1,3}(,\\d{3})*|\\d+");
    private static final List<String> KEYS = List.of("Number of files", "Number of created files",
            "Number of deleted files", "Number of regular files transferred", "Total file size",
            "Total transferred file size", "Literal data", "Matched data", "File list size", "Total bytes sent",
            "Total bytes received");
    private static final List<String> OPTIONAL = List.of("Number of created files", "Number of deleted files");

    /**
     * Parses the {@code --stats} lines out of a client's stdout; other lines are ignored.
     *
     * @throws IllegalArgumentException if a counter is missing or not a plain number, naming it and quoting the output
     */
    public static Stats parse(String stdout) {
        Map<String, Long> values = new HashMap<>();
        for (String line : stdout.split("\\R")) {
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches() || !KEYS.contains(m.group(1))) {
                continue;
            }
            String number = m.group(2);
            if (!PLAIN.matcher(number).matches()) {
                throw new IllegalArgumentException(m.group(1) + ": \"" + number
                        + "\" (expected: a plain number such as 1,234; run without -h)\n" + stdout);
            }
            values.put(m.group(1), Long.parseLong(number.replace(",", "")));
        }
        List<String> missing = new ArrayList<>(KEYS);
        missing.removeAll(values.keySet());
        missing.removeAll(OPTIONAL);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("--stats counters missing: " + missing
                    + " (expected: all of them; was --stats given?)\n" + stdout);
        }
        long[] v = KEYS.stream().mapToLong(k -> values.getOrDefault(k, -1L)).toArray();
        return new Stats(v[0], optional(v[1]), optional(v[2]), v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
    }

    private static OptionalLong optional(long value) {
        return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
