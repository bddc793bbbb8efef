package dev.jrsync.interop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stock rsync binary used as the oracle: system property {@value #PROPERTY}, else environment variable
 * {@value #ENV}, else {@value #DEFAULT} (Debian's package {@code rsync}; .ci/run pins 3.5.0 there and unpacks
 * 3.2.7 elsewhere for the {@code legacy-peer} run, see interop/pom.xml). Thread-safe; {@link #client} blocks until
 * rsync exits or its timeout (then the process tree is killed and an AssertionError thrown).
 */
public final class StockRsync {

    /** System property naming the stock binary. */
    public static final String PROPERTY = "stock.rsync";

    /** Environment variable naming the stock binary when {@value #PROPERTY} is unset. */
    public static final String ENV = "JRSYNC_STOCK_RSYNC";

    /** The binary when neither {@value #PROPERTY} nor {@value #ENV} is set. */
    public static final String DEFAULT = "/usr/bin/rsync";

    /** The version the suite is pinned to as its reference (.ci/run installs Debian's 3.5.0+ds1-0+deb12u1). */
    public static final String REFERENCE_VERSION = "3.5.0";

    /** The selected binary (see the class comment); every stock client and stock daemon runs it. */
    public static final Path BINARY = Path.of(selected());

    private static final Pattern VERSION = Pattern.compile("rsync\\s+version\\s+(\\S+)\\s+protocol version (\\d+)");
    private static volatile String[] versionCache;

    private StockRsync() {}

    private static String selected() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return p;
        }
        String e = System.getenv(ENV);
        return e != null && !e.isBlank() ? e : DEFAULT;
    }

    /** The binary's path; fails with a clear message if it is not installed. */
    public static Path binary() {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing or not executable: the interop suite needs stock rsync"
                    + " 3.5.0 as /usr/bin/rsync and 3.2.7 for the legacy-peer run (as root, .ci/run installs both:"
                    + " apt-get install rsync=3.5.0+ds1-0+deb12u1; apt-get download rsync=3.2.7-1+deb12u6 and"
                    + " dpkg -x; or select another binary with -D" + PROPERTY + "=PATH or " + ENV + "=PATH)");
        }
        return BINARY;
    }

    /**
     * True if the selected binary is the {@link #REFERENCE_VERSION}: a {@code legacy-peer} slice of a cross product
     * that the full product already covers against the reference skips itself then.
     */
    public static boolean isReferenceVersion() throws IOException, InterruptedException {
        return REFERENCE_VERSION.equals(version());
    }

    /**
     * True if the selected binary's version is at least {@code major.minor.patch}: for tests whose stock-to-stock
     * behaviour differs between the versions the suite runs against (3.5.0 and 3.2.7).
     */
    public static boolean versionAtLeast(int major, int minor, int patch) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)").matcher(version());
        if (!m.lookingAt()) {
            throw new AssertionError("unparsable stock rsync version: " + version());
        }
        int[] have = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        int[] want = {major, minor, patch};
        return java.util.Arrays.compare(have, want) >= 0;
    }

    /** The version from {@code rsync --version}, e.g. "3.2.7". */
    public static String version() throws IOException, InterruptedException {
        return versionInfo()[0];
    }

    /** The newest protocol the binary speaks, from {@code rsync --version}. */
    public static int protocolVersion() throws IOException, InterruptedException {
        return Integer.parseInt(versionInfo()[1]);
    }

    /**
     * Environment every stock invocation gets unless the caller overrides it: a UTF-8 C locale, so numbers in
     * {@code --stats} keep their documented form and UTF-8 names are not escaped.
     */
    public static Map<String, String> defaultEnv() {
        return Map.of("LC_ALL", "C.UTF-8");
    }

    /** Runs {@code rsync ARGS} with {@link #defaultEnv()} overridden by {@code env}, in this JVM's working dir. */
    public static Proc.Result client(List<String> args, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        return client(args, env, null, timeout);
    }

    /** As {@link #client(List, Map, Duration)} in {@code workDir}. */
    public static Proc.Result client(List<String> args, Map<String, String> env, Path workDir, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(args);
        Map<String, String> merged = new HashMap<>(defaultEnv());
        merged.putAll(env);
        return Proc.run(command, merged, workDir, timeout);
    }

    private static String[] versionInfo() throws IOException, InterruptedException {
        String[] cached = versionCache;
        if (cached == null) {
            Proc.Result r = client(List.of("--version"), Map.of(), Duration.ofSeconds(30)).expectSuccess();
            Matcher m = VERSION.matcher(r.stdout());
            if (!m.find()) {
                throw new AssertionError("unrecognised 'rsync --version' output (expected: \"rsync  version X"
                        + "  protocol version N\"):\n" + r.stdout());
            }
            cached = new String[] {m.group(1), m.group(2)};
            versionCache = cached;
        }
        return cached;
    }
}
