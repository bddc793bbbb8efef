package dev.jrsync.protocol.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A validated root-relative name: no NUL, not absolute, no {@code ..}, no empty component;
 * {@code .} components are dropped, so no components at all means the root. Immutable; thread-safe.
 */
record RelPath(String original, List<String> components) {

    static RelPath parse(String rel) throws UnsafePathException {
        Objects.requireNonNull(rel, "rel");
        if (rel.indexOf('\0') >= 0) {
            throw new UnsafePathException(rel, "contains a NUL byte");
        }
        if (rel.startsWith("/")) {
            throw new UnsafePathException(rel, "absolute name (expected: relative to the root)");
        }
        List<String> comps = new ArrayList<>();
        if (!rel.isEmpty()) {
            for (String c : rel.split("/", -1)) {
                switch (c) {
                    case "" -> throw new UnsafePathException(rel, "empty component (expected: a/b, no // or trailing /)");
                    case "." -> { }
                    case ".." -> throw new UnsafePathException(rel, "'..' component (expected: none)");
                    default -> comps.add(c);
                }
            }
        }
        return new RelPath(rel, List.copyOf(comps));
    }

    /** A single file name, as the last component of a temporary file's final name must be. */
    static String leafName(String name) throws UnsafePathException {
        RelPath p = parse(name);
        if (p.components.size() != 1 || name.indexOf('/') >= 0) {
            throw new UnsafePathException(name, "not a single file name");
        }
        return p.leaf();
    }

    boolean isRoot() {
        return components.isEmpty();
    }

    /** The name for openat2: components joined by '/', or "." for the root. */
    String joined() {
        return isRoot() ? "." : String.join("/", components);
    }

    RelPath parent() {
        if (isRoot()) {
            throw new IllegalStateException("the root has no parent");
        }
        List<String> p = components.subList(0, components.size() - 1);
        return new RelPath(String.join("/", p), p);
    }

    String leaf() {
        if (isRoot()) {
            throw new IllegalStateException("the root has no leaf name");
        }
        return components.getLast();
    }
}
