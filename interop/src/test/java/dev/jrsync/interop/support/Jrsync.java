package dev.jrsync.interop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The jrsync program under test: {@code java --enable-native-access=ALL-UNNAMED -jar jrsync.jar ARGS}, with the jar
 * from system property {@code jrsync.jar} (set by interop/pom.xml to dist/target/jrsync.jar). Thread-safe;
 * {@link #client} blocks until the program exits or its timeout (then the tree is killed and an AssertionError thrown).
 */
public final class Jrsync {

    /** System property naming the jar. */
    public static final String JAR_PROPERTY = "jrsync.jar";

    private Jrsync() {}

    /** True if the jar exists, so tests can be skipped with a reason rather than fail before it is built. */
    public static boolean available() {
        String jar = System.getProperty(JAR_PROPERTY);
        return jar != null && Files.isRegularFile(Path.of(jar));
    }

    /** The jar; fails with a clear message if the property is unset or the file does not exist. */
    public static Path jar() {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null) {
            throw new AssertionError("system property " + JAR_PROPERTY + " is not set (interop/pom.xml sets it for"
                    + " surefire; from an IDE pass -D" + JAR_PROPERTY + "=.../dist/target/jrsync.jar)");
        }
        Path path = Path.of(jar).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new AssertionError("jrsync jar not found: " + path + " (build it first: mvn -pl dist -am package)");
        }
        return path;
    }

    /** The java launcher of this JVM: {@code java.home/bin/java}, else the current process's own command. */
    public static Path java() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome;
        }
        return ProcessHandle.current().info().command().map(Path::of)
                .orElseThrow(() -> new AssertionError("cannot locate a java launcher: " + fromHome + " missing"));
    }

    /** The full command line that runs jrsync with {@code args}. */
    public static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of(java().toString(), "--enable-native-access=ALL-UNNAMED",
                "-jar", jar().toString()));
        command.addAll(args);
        return command;
    }

    /** Same locale as {@link StockRsync#defaultEnv()}, so the two programs' output compares line for line. */
    public static Map<String, String> defaultEnv() {
        return StockRsync.defaultEnv();
    }

    /** Runs jrsync as a client with {@link #defaultEnv()} overridden by {@code env}. */
    public static Proc.Result client(List<String> args, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        return client(args, env, null, timeout);
    }

    /** As {@link #client(List, Map, Duration)} in {@code workDir}. */
    public static Proc.Result client(List<String> args, Map<String, String> env, Path workDir, Duration timeout)
            throws IOException, InterruptedException {
        Map<String, String> merged = new HashMap<>(defaultEnv());
        merged.putAll(env);
        return Proc.run(command(args), merged, workDir, timeout);
    }
}
