package dev.jrsync.daemon.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The parameter values of one context (the globals or one module), explicit settings only. Immutable. */
final class Values {
    private final Map<Param, String> explicit;

    Values(EnumMap<Param, String> explicit) {
        this.explicit = Collections.unmodifiableMap(new EnumMap<>(explicit));
    }

    Set<Param> explicitlySet() {
        return explicit.keySet();
    }

    /** The value as set (inherited globals included), else stock's default, else empty. */
    Optional<String> raw(Param p) {
        String v = explicit.get(p);
        return v != null ? Optional.of(v) : p.defaultValue();
    }

    Optional<String> raw(String name) {
        return Param.lookup(name).flatMap(this::raw);
    }

    /** A string value that stock treats as absent when NULL or empty ({@code if (!s || !*s)}). */
    Optional<String> nonEmpty(Param p) {
        return raw(p).filter(s -> !s.isEmpty());
    }

    boolean bool(Param p) {
        return raw(p).map(v -> ConfText.parseBool(v, false) == ConfText.Bool3.TRUE).orElse(false);
    }

    /** A tri-state value; empty means Unset. */
    Optional<Boolean> bool3(Param p) {
        return raw(p).flatMap(v -> switch (ConfText.parseBool(v, true)) {
            case TRUE -> Optional.of(true);
            case FALSE -> Optional.of(false);
            default -> Optional.empty();
        });
    }

    int integer(Param p) {
        return raw(p).map(ConfText::atoi).orElse(0);
    }
}
