package dev.jrsync.daemon.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A parsed rsyncd.conf, read exactly as stock rsync 3.5.0 reads it (params.c / loadparm.c): comments, line
 * continuation, [global] sections, case- and whitespace-insensitive duplicate modules, &include / &merge, unknown
 * parameters ignored with a warning. Immutable and thread-safe; {@link #load} blocks on file I/O.
 */
public final class RsyncdConf {
    private final GlobalConfig global;
    private final List<ModuleConfig> modules;
    private final List<String> warnings;

    private RsyncdConf(GlobalConfig global, List<ModuleConfig> modules, List<String> warnings) {
        this.global = global;
        this.modules = modules;
        this.warnings = warnings;
    }

    /** Reads a config file (per-connection view: globals and all modules). */
    public static RsyncdConf load(Path file) throws ConfigException {
        return load(file, List.of());
    }

    /**
     * Reads a config file, applying daemon {@code --dparam NAME=VALUE} overrides at the end of the leading global
     * section (before the first module), as stock does.
     */
    public static RsyncdConf load(Path file, List<String> dparams) throws ConfigException {
        ConfParser p = new ConfParser(false, dparams, System::getenv);
        p.parseFile(file);
        return build(p);
    }

    /**
     * The listener's view: stock's startup read stops at the first section header (of any file, &include included),
     * so "port", "address", "pid file" and the like set in a later [global] section are not seen by the listener.
     * The result has no modules.
     */
    public static RsyncdConf loadGlobalsOnly(Path file, List<String> dparams) throws ConfigException {
        ConfParser p = new ConfParser(true, dparams, System::getenv);
        p.parseFile(file);
        return build(p);
    }

    /**
     * Parses config text. {@code origin} names the text in messages; relative &include/&merge paths are resolved
     * like stock does, against the working directory (not against {@code origin}).
     */
    public static RsyncdConf parse(String text, Path origin) throws ConfigException {
        return parse(text, origin, System::getenv);
    }

    /** As {@link #parse(String, Path)}, with an explicit environment for the parse-time %VAR% expansion. */
    static RsyncdConf parse(String text, Path origin, UnaryOperator<String> env) throws ConfigException {
        ConfParser p = new ConfParser(false, List.of(), env);
        p.parseText(text, origin);
        return build(p);
    }

    private static RsyncdConf build(ConfParser p) {
        List<ModuleConfig> mods = new ArrayList<>();
        for (ConfParser.Section s : p.sections) {
            mods.add(new ModuleConfig(new Values(s.values), s.file, s.line));
        }
        return new RsyncdConf(new GlobalConfig(new Values(p.globals())), List.copyOf(mods), List.copyOf(p.warnings));
    }

    public GlobalConfig global() {
        return global;
    }

    /** Modules in the order their sections first appeared (the listing order). */
    public List<ModuleConfig> modules() {
        return modules;
    }

    /**
     * The module a client request names: exact, case-sensitive comparison, the last definition winning when a
     * "name =" rename made two alike. Mirrors loadparm.c:lp_number().
     */
    public Optional<ModuleConfig> module(String name) {
        for (int i = modules.size() - 1; i >= 0; i--) {
            if (modules.get(i).name().equals(name)) {
                return Optional.of(modules.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * What stock would log while reading the file (unknown parameters, badly formed booleans or lines, global
     * parameters inside a module), each as {@code <file>:<line>: <stock message>}.
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The parameters set anywhere (globally or in a module) that are not in {@code supported}, as their man-page
     * labels, for a "not honoured yet" warning. Names in {@code supported} are matched as stock matches parameter
     * names ("read only", "ReadOnly" ...).
     */
    public List<String> notHonoured(Collection<String> supported) {
        Set<Param> ok = EnumSet.noneOf(Param.class);
        for (String s : supported) {
            Param.lookup(s).ifPresent(ok::add);
        }
        ok.add(Param.NAME);
        Set<Param> set = EnumSet.noneOf(Param.class);
        set.addAll(global.explicitlySet());
        for (ModuleConfig m : modules) {
            set.addAll(m.explicitlySet());
        }
        set.removeAll(ok);
        return set.stream().map(Param::label).toList();
    }

    /**
     * Expands %VAR% references the way stock expands string parameters on first use (for path, uid, comment ...):
     * {@code %} + an upper-case letter up to the next {@code %} is replaced when {@code env} knows the name (returns
     * non-null); otherwise the text stays as is, and {@code %%} is kept. Shell-hook quoting is not done here.
     */
    public static String expandVars(String value, UnaryOperator<String> env) {
        return ConfText.expandVars(value, env);
    }
}
