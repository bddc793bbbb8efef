package dev.jrsync.interop.support;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code [module]} section of an rsyncd.conf: name, path and extra parameters in insertion order.
 * Immutable; the {@code with...} methods return copies.
 */
public record ModuleSpec(String name, Path path, Map<String, String> params) {

    public ModuleSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        if (name.isEmpty() || name.chars().anyMatch(c -> c == '[' || c == ']' || c == '/' || c == '\n' || c == '\r')) {
            throw new IllegalArgumentException("module name: \"" + name + "\" (expected: non-empty, no [ ] / or newline)");
        }
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A module with no extra parameters (so read-only, as rsyncd.conf defaults). */
    public static ModuleSpec of(String name, Path path) {
        return new ModuleSpec(name, path, Map.of());
    }

    /** A copy with {@code key = value} added (or replaced, if present). */
    public ModuleSpec with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(params);
        copy.put(key, value);
        return new ModuleSpec(name, path, copy);
    }

    /** A copy with {@code read only = no}. */
    public ModuleSpec writable() {
        return with("read only", "no");
    }

    /** A copy requiring authentication: {@code auth users} and {@code secrets file} (see {@link RsyncdConf#writeSecrets}). */
    public ModuleSpec auth(String users, Path secretsFile) {
        return with("auth users", users).with("secrets file", secretsFile.toString());
    }
}
