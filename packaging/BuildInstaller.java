/*
 * Builds Confab's trimmed runtime, app image and OS installers. Run by `mvn -Pinstaller package`
 * (pom.xml, profile "installer") as a single-file source program:
 *
 *   java packaging/BuildInstaller.java basedir=. os=linux types=deb,rpm version=0.1.0 ...
 *
 * Settings: the fixed configuration (name, icon, vendor, modules, jlink and Java options, ...) is
 * in packaging/installer.properties, one comment per key; the pom passes only what Maven knows
 * (see Settings below). A key=value argument overrides the file. A missing or unknown key stops
 * the build before anything is built. docs/packaging.md ("Settings") explains every value.
 *
 * Why a Java program and not shell: the same steps must run on Linux, Windows and macOS runners,
 * and they need loops and a little parsing (one jmod per JavaFX jar, the jdeps module list).
 * Every tool invocation is printed in full before it runs, so a failing step can be re-run by hand.
 *
 * The steps are the methods main() calls, in that order (docs/packaging.md describes each).
 * Per-OS jpackage options live in packaging/<os>/app-image.args and packaging/<os>/package.args
 * (jpackage @argfiles). Files in packaging/<os>/resources are the jpackage --resource-dir; text
 * files there may contain @VERSION@, replaced by the pom version.
 */

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

public final class BuildInstaller {
    private final Settings settings;
    private final Path base;
    private final Path work;
    private final Path out;
    private final Path osDir;
    private final String os;
    private final String name;
    private final String version;
    /** jpackage's --app-version: the pom version, except where jpackage refuses it (macOS 0.x). */
    private final String appVersion;

    private BuildInstaller(Settings settings) {
        this.settings = settings;
        this.base = Path.of(settings.get("basedir")).toAbsolutePath().normalize();
        this.work = base.resolve(settings.get("work", "target/installer-work"));
        this.out = base.resolve(settings.get("dest", "target/installer"));
        this.os = settings.get("os");
        this.osDir = base.resolve("packaging").resolve(os);
        this.name = settings.get("name");
        this.version = settings.get("version");
        // jpackage on macOS rejects a first version number of 0 ("The first number in an
        // app-version cannot be zero"); the Info.plist override carries the real version
        this.appVersion =
                settings.get("appVersion", os.equals("macos") && version.startsWith("0.") ? "1.0.0" : version);
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.load(args);
        } catch (IllegalArgumentException e) {
            System.err.println("[installer] ERROR: " + e.getMessage());
            System.exit(2);
            return;
        }
        BuildInstaller build = new BuildInstaller(settings);
        build.cleanWorkAndOutput();
        Path appDir = build.copyAppJarsStored();
        List<String> fxModules = build.convertJavaFxJarsToJmods();
        TreeSet<String> modules = build.listRuntimeModules(appDir, fxModules);
        Path runtime = build.jlinkRuntime(modules);
        build.removeRuntimeExcludes(runtime);
        Path resources = build.copyResources();
        Path appImage = build.jpackageAppImage(appDir, runtime, resources);
        if (build.settings.flag("aotCache")) {
            build.trainAotCache(appImage);
        }
        if (build.os.equals("linux") && build.settings.flag("shellLauncher")) {
            build.writeShellLauncher(appImage);
        }
        for (String type : build.settings.list("types")) {
            build.jpackageInstaller(type, appImage, resources);
        }
        build.renameInstallersToRealVersion();
        build.verifyOutputs();
    }

    /**
     * The build's settings: packaging/installer.properties, with the key=value arguments over it.
     * Every key is checked when the build starts: a key the file must have and has not, or a key
     * nobody reads (a typo), stops the build with a message that names it.
     */
    private static final class Settings {
        static final String FILE = "packaging/installer.properties";
        /** What Maven knows: passed by the pom, never in the file. */
        static final Set<String> FROM_POM =
                Set.of("basedir", "os", "types", "version", "release", "appJar", "mainClass", "description");
        /** Optional arguments (defaults in BuildInstaller). */
        static final Set<String> OPTIONAL_ARGS = Set.of("work", "dest", "appVersion");
        /** The fixed configuration: each must be in the file (an argument of the same name overrides it). */
        static final Set<String> IN_FILE = Set.of(
                "name",
                "icon",
                "vendor",
                "copyright",
                "aboutUrl",
                "extraModules",
                "dropModules",
                "compress",
                "jlinkOptions",
                "runtimeExclude",
                "javaOptions",
                "aotCache",
                "shellLauncher");
        /** Keys that may be empty (lists); the others need a value. */
        static final Set<String> MAY_BE_EMPTY =
                Set.of("types", "extraModules", "dropModules", "jlinkOptions", "runtimeExclude", "javaOptions");

        static final Set<String> OSES = Set.of("linux", "windows", "macos");

        private final Map<String, String> args;
        private final Properties file;
        private final String os;

        private Settings(Map<String, String> args, Properties file) {
            this.args = args;
            this.file = file;
            this.os = get("os");
        }

        /**
         * Reads the arguments (key=value; an empty value counts as not given, so the pom can pass
         * an unset -Dinstaller.aot) and the properties file, and checks every key.
         */
        static Settings load(String[] argv) throws IOException {
            Map<String, String> args = new LinkedHashMap<>();
            for (String a : argv) {
                int eq = a.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("expected key=value, got: " + a);
                }
                String key = a.substring(0, eq);
                if (!FROM_POM.contains(key) && !OPTIONAL_ARGS.contains(key) && !IN_FILE.contains(key)) {
                    throw new IllegalArgumentException("unknown argument " + key + "=... (known: pom "
                            + new TreeSet<>(FROM_POM) + ", optional " + new TreeSet<>(OPTIONAL_ARGS)
                            + ", or a key of " + FILE + " to override it)");
                }
                if (!a.substring(eq + 1).isBlank()) {
                    args.put(key, a.substring(eq + 1).trim());
                }
            }
            String basedir = args.get("basedir");
            if (basedir == null) {
                throw new IllegalArgumentException("missing argument basedir=... (the project directory)");
            }
            Path path = Path.of(basedir).toAbsolutePath().normalize().resolve(FILE);
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("missing " + path + " (the installer settings)");
            }
            Properties file = new Properties();
            try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                file.load(r);
            }
            for (String key : file.stringPropertyNames()) {
                int dot = key.lastIndexOf('.');
                String plain = dot > 0 && OSES.contains(key.substring(dot + 1)) ? key.substring(0, dot) : key;
                if (!IN_FILE.contains(plain)) {
                    throw new IllegalArgumentException(FILE + ": unknown key " + key
                            + (FROM_POM.contains(plain) ? " (it comes from pom.xml, not from this file)" : "")
                            + "; the keys are " + new TreeSet<>(IN_FILE));
                }
            }
            Settings s = new Settings(args, file);
            for (String key : FROM_POM) {
                if (!key.equals("types")) {
                    s.get(key);
                }
            }
            for (String key : IN_FILE) {
                s.get(key);
            }
            s.flag("aotCache");
            s.flag("shellLauncher");
            return s;
        }

        /** The argument, else the file's key.&lt;os&gt;, else the file's key; fails if none is set. */
        String get(String key) {
            String v = args.get(key);
            if (v == null && IN_FILE.contains(key)) {
                v = file.getProperty(key + "." + os, file.getProperty(key));
                if (v == null) {
                    throw new IllegalArgumentException(FILE + ": missing key " + key + " (or " + key + "." + os
                            + "); each key is described in that file and in docs/packaging.md, \"Settings\"");
                }
            } else if (v == null) {
                throw new IllegalArgumentException("missing argument " + key + "=... (pom.xml, profile installer, "
                        + "passes it to packaging/BuildInstaller.java)");
            }
            v = v.trim();
            if (v.isEmpty() && !MAY_BE_EMPTY.contains(key)) {
                throw new IllegalArgumentException(FILE + ": key " + key + " has no value");
            }
            return v;
        }

        /** An optional argument. */
        String get(String key, String fallback) {
            String v = args.get(key);
            return v == null ? fallback : v;
        }

        /** A comma- or space-separated list (empty allowed). */
        List<String> list(String key) {
            String v = key.equals("types") ? args.getOrDefault("types", "") : get(key);
            return Arrays.stream(v.split("[,\\s]+"))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }

        boolean flag(String key) {
            String v = get(key);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException(key + " must be true or false, is: " + v);
            }
            return Boolean.parseBoolean(v);
        }
    }

    /** Deletes what an earlier run left (the pom's clean execution does too; this keeps a direct run clean). */
    private void cleanWorkAndOutput() throws IOException {
        deleteTree(work.resolve("jmods"));
        deleteTree(work.resolve("fx-unpacked"));
        deleteTree(work.resolve("runtime"));
        deleteTree(work.resolve("resources"));
        deleteTree(work.resolve("jpackage-temp"));
        deleteTree(work.resolve("app"));
        deleteTree(out);
        Files.createDirectories(out);
    }

    /**
     * jpackage --input takes one directory: copies the app's own (thin) jar and its non-JavaFX
     * dependencies (target/installer-work/deps, from maven-dependency-plugin) there, each with its
     * entries stored (repackStored), sqlite-jdbc with this platform's natives only.
     */
    private Path copyAppJarsStored() throws IOException {
        Path appDir = Files.createDirectories(work.resolve("app"));
        Path appJar = appJar();
        long deflated = Files.size(appJar);
        repackStored(appJar, appDir.resolve(appJar.getFileName()), entry -> true);
        try (Stream<Path> jars = Files.list(work.resolve("deps"))) {
            for (Path jar :
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                deflated += Files.size(jar);
                if (jar.getFileName().toString().startsWith("sqlite-jdbc-")) {
                    copySqliteForThisPlatform(jar, appDir.resolve(jar.getFileName()));
                } else {
                    repackStored(jar, appDir.resolve(jar.getFileName()), entry -> true);
                }
            }
        }
        System.out.printf(
                "[installer] app jars repacked uncompressed (stored): %.1f MB -> %.1f MB on disk%n",
                deflated / 1_048_576.0, treeSize(appDir) / 1_048_576.0);
        return appDir;
    }

    private Path appJar() {
        return base.resolve(settings.get("appJar"));
    }

    /**
     * JavaFX jars (org.openjfx:javafx-*:&lt;platform&gt;, in target/installer-work/fx) -> jmods.
     * The Maven jars are modular jars with the native libraries at the jar root. jlink accepts
     * modular jars, but it would keep the .so/.dll/.dylib as module resources, so JavaFX would
     * extract them into ~/.openjfx/cache on first start. As jmods with a native "libs" section,
     * jlink puts them in the runtime's lib/ (bin/ on Windows), where JavaFX loads them directly,
     * like the official Gluon jmods. Returns the JavaFX module names.
     */
    private List<String> convertJavaFxJarsToJmods() throws IOException {
        Path fxJars = work.resolve("fx");
        List<String> fxModules = new ArrayList<>();
        Path jmods = Files.createDirectories(work.resolve("jmods"));
        try (Stream<Path> jars = Files.list(fxJars)) {
            for (Path jar :
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                Optional<ModuleDescriptor> desc = ModuleFinder.of(jar).findAll().stream()
                        .map(ModuleReference::descriptor)
                        .filter(d -> !d.isAutomatic())
                        .findFirst();
                if (desc.isEmpty()) {
                    // org.openjfx:javafx-x:<no classifier> is an empty jar that only pulls the platform jar
                    System.out.println("[installer] skip (no module-info): " + jar.getFileName());
                    continue;
                }
                fxModules.add(desc.get().name());
                toJmod(jar, desc.get(), jmods);
            }
        }
        if (fxModules.isEmpty()) {
            throw new IllegalStateException("no JavaFX modules found in " + fxJars);
        }
        return fxModules;
    }

    /**
     * The runtime's modules: jdeps --print-module-deps over every jar the app ships, minus
     * dropModules, plus every JavaFX module, plus extraModules (what jdeps cannot see).
     */
    private TreeSet<String> listRuntimeModules(Path appDir, List<String> fxModules) throws IOException {
        List<String> cp = new ArrayList<>();
        try (Stream<Path> jars = Files.list(appDir)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> cp.add(p.toString()));
        }
        List<String> jdeps = new ArrayList<>(List.of(
                "--print-module-deps",
                "--ignore-missing-deps",
                "--multi-release",
                settings.get("release"),
                "--module-path",
                work.resolve("fx").toString(),
                "--class-path",
                String.join(File.pathSeparator, cp)));
        jdeps.addAll(cp); // analyse every jar the app ships, not only what the app jar references
        String jdepsOut = tool("jdeps", jdeps.toArray(String[]::new)).trim();
        // jdeps prints the list on its last line (earlier lines can be warnings)
        String jdepsModules = jdepsOut.lines()
                .filter(l -> l.matches("[\\w.,]+"))
                .reduce((a, b) -> b)
                .orElse("");
        TreeSet<String> modules = new TreeSet<>(Arrays.stream(jdepsModules.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList());
        modules.removeAll(settings.list("dropModules"));
        modules.addAll(fxModules);
        modules.addAll(settings.list("extraModules"));
        System.out.println("[installer] jdeps: " + jdepsModules);
        System.out.println("[installer] runtime modules: " + String.join(",", modules));
        return modules;
    }

    /** jlink -> target/installer-work/runtime, from the jmods above and the JDK running this build. */
    private Path jlinkRuntime(TreeSet<String> modules) {
        Path runtime = work.resolve("runtime");
        List<String> jlink = new ArrayList<>(List.of(
                "--module-path",
                work.resolve("jmods").toString(),
                "--add-modules",
                String.join(",", modules),
                "--strip-debug",
                "--no-header-files",
                "--no-man-pages",
                "--compress=" + settings.get("compress"),
                "--output",
                runtime.toString()));
        jlink.addAll(Arrays.stream(settings.get("jlinkOptions").split("\\s+"))
                .filter(o -> !o.isBlank())
                .toList());
        tool("jlink", jlink.toArray(String[]::new));
        return runtime;
    }

    /** Deletes runtimeExclude from the runtime: it keeps one default CDS archive at most. */
    private void removeRuntimeExcludes(Path runtime) throws IOException {
        for (String f : settings.list("runtimeExclude")) {
            Path p = runtime.resolve(f);
            if (Files.deleteIfExists(p)) {
                System.out.println("[installer] removed " + base.relativize(p));
            }
        }
    }

    /**
     * packaging/&lt;os&gt;/resources (jpackage --resource-dir) with @VERSION@ replaced; for a Windows
     * .msi also the main.wxs override that adds the firewall rules ({@link #FIREWALL_WXS}).
     */
    private Path copyResources() throws IOException {
        Path resources = work.resolve("resources");
        copyTree(osDir.resolve("resources"), resources, version);
        if (os.equals("windows") && settings.list("types").contains("msi")) {
            Path main = resources.resolve("main.wxs");
            Files.writeString(
                    main,
                    mainWxsWithFirewallRules(
                            jpackageDefaultMainWxs(),
                            Files.readString(osDir.resolve(FIREWALL_WXS), StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8);
            System.out.println("[installer] " + base.relativize(main) + ": jpackage's own main.wxs with " + FIREWALL_WXS
                    + " inlined (firewall rules)");
        }
        return resources;
    }

    /** The firewall rules for the .msi (a WiX 3 {@code <Include>} in packaging/windows; docs/packaging.md). */
    static final String FIREWALL_WXS = "firewall-rule.wxs";

    /**
     * The main.wxs jpackage uses when the resource directory has none, read from this JDK's
     * jdk.jpackage module (jrt:/, so it is always the one of the jpackage that builds the .msi).
     * Only a Windows JDK has it.
     */
    private static String jpackageDefaultMainWxs() throws IOException {
        Path p = FileSystems.getFileSystem(URI.create("jrt:/"))
                .getPath("modules", "jdk.jpackage", "jdk", "jpackage", "internal", "resources", "main.wxs");
        if (!Files.exists(p)) {
            throw new IOException("this JDK's jpackage has no main.wxs (" + p
                    + "): a Windows .msi is built with a Windows JDK, on Windows");
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /**
     * jpackage's main.wxs with the children of {@code include}'s {@code <Include>} element put at
     * the end of its {@code <Product>} (custom actions and their sequence belong there). jpackage
     * reads from the resource directory only main.wxs and overrides.wxi (the latter is included
     * outside {@code <Product>}), and converts main.wxs to the WiX 4 schema itself when WiX 4/5
     * builds it, so the rules are inlined rather than {@code <?include?>}d.
     */
    static String mainWxsWithFirewallRules(String mainWxs, String include) {
        // the root element: the first tag past the XML declaration and comments (which may name it)
        int open = 0;
        while ((open = include.indexOf('<', open)) >= 0
                && (include.startsWith("<?", open) || include.startsWith("<!--", open))) {
            int close = include.startsWith("<?", open) ? include.indexOf("?>", open) : include.indexOf("-->", open);
            open = close < 0 ? include.length() : close;
        }
        boolean isInclude = open >= 0
                && include.startsWith("<Include", open)
                && open + 8 < include.length()
                && (include.charAt(open + 8) == '>' || Character.isWhitespace(include.charAt(open + 8)));
        int start = isInclude ? include.indexOf('>', open) + 1 : -1;
        int end = include.lastIndexOf("</Include>");
        if (!isInclude || end < start) {
            throw new IllegalArgumentException(FIREWALL_WXS + " is not a WiX <Include> element");
        }
        int product = mainWxs.lastIndexOf("</Product>");
        if (product < 0 || mainWxs.indexOf("</Product>") != product) {
            throw new IllegalArgumentException(
                    "jpackage's main.wxs has no single </Product> to add the firewall rules to");
        }
        return mainWxs.substring(0, product)
                + "<!-- Confab: packaging/windows/" + FIREWALL_WXS + " (BuildInstaller) -->"
                + include.substring(start, end)
                + mainWxs.substring(product);
    }

    /**
     * jpackage --type app-image -> target/installer/&lt;name&gt;: the thin jar + deps on the class path,
     * JavaFX as named modules in the runtime (no JavaFX classes on the class path, so they are
     * never loaded twice), the Java options, and packaging/&lt;os&gt;/app-content if there is one.
     */
    private Path jpackageAppImage(Path appDir, Path runtime, Path resources) throws IOException {
        List<String> image = new ArrayList<>(List.of(
                "--type", "app-image",
                "--dest", out.toString(),
                "--name", name,
                "--app-version", appVersion,
                "--vendor", settings.get("vendor"),
                "--description", settings.get("description"),
                "--copyright", settings.get("copyright"),
                "--input", appDir.toString(),
                "--main-jar", appJar().getFileName().toString(),
                "--main-class", settings.get("mainClass"),
                "--runtime-image", runtime.toString(),
                "--resource-dir", resources.toString(),
                "--icon", base.resolve(settings.get("icon")).toString(),
                "--temp", work.resolve("jpackage-temp/app-image").toString()));
        for (String javaOption : settings.get("javaOptions").split("\\s+")) {
            if (javaOption.isBlank()) {
                continue;
            }
            image.add("--java-options");
            image.add(javaOption);
        }
        if (Files.isDirectory(osDir.resolve("app-content"))) {
            // extra files for the image (Linux: the AppStream metainfo), @VERSION@ replaced
            Path content = work.resolve("app-content").resolve("app-content");
            deleteTree(content.getParent());
            copyTree(osDir.resolve("app-content"), content, version);
            image.add("--app-content");
            image.add(content.toString());
        }
        image.add("@" + osDir.resolve("app-image.args"));
        tool("jpackage", image.toArray(String[]::new));
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(Files::isDirectory)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("jpackage made no app image in " + out));
        }
    }

    /**
     * Trains the JVM's AOT cache for the app: runs the finished image's launcher once with
     * {@code --smoke} (opens the main window, prints first-frame, exits) and
     * {@code -XX:AOTCacheOutput}, so the JVM records which classes the start-up loads and links
     * (and their early profiles) and writes them to {@code <app dir>/<name>.aot}; then every
     * launcher's .cfg gets {@code -XX:AOTCache=$APPDIR/<name>.aot}. Measured here: the installed
     * app's exec-to-first-frame went from ~2.2 s to ~1.8 s in an A/B here (docs/benchmarks.md).
     *
     * <p>The cache stays valid where the package installs it: the JVM checks the class path
     * relative to the cache's own directory and the runtime it was made with, which ship together.
     * If it does not fit (other GC or heap flags), the JVM starts without it, silently; if the file
     * were missing it logs an error line and still starts. Training needs a display: on Linux
     * without {@code DISPLAY} it runs under {@code xvfb-run}. With neither, or if the training run
     * fails, the image ships without a cache (start-up slower, nothing else changes) and a warning
     * says so; {@code .ci/installer-check.sh} fails if the .deb has no cache.
     */
    private void trainAotCache(Path appImage) throws IOException, InterruptedException {
        Path mainCfg = mainLauncherCfg(appImage);
        Path cache = mainCfg.getParent().resolve(name + ".aot");
        List<String> cmd = aotTrainingCommand(appImage);
        if (cmd == null) {
            System.err.println("[installer] WARNING: no DISPLAY and no xvfb-run: the AOT cache is not built; "
                    + "the app will start slower (apt-get install xvfb, or build in a desktop session)");
            return;
        }
        if (runAotTraining(mainCfg, cmd, cache)) {
            pointLaunchersAtAotCache(appImage, mainCfg.getParent(), cache);
        }
    }

    /** The main launcher's .cfg; the launchers' .cfg files sit together in the app dir (not the runtime's lib/jvm.cfg). */
    private Path mainLauncherCfg(Path appImage) throws IOException {
        try (Stream<Path> s = Files.walk(appImage)) {
            return s.filter(p -> p.getFileName().toString().equals(name + ".cfg") && Files.isRegularFile(p))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + name + ".cfg in " + appImage));
        }
    }

    /** The launcher with --smoke, under xvfb-run on Linux without a display; null if it cannot run. */
    private List<String> aotTrainingCommand(Path appImage) {
        Path launcher = switch (os) {
            case "windows" -> appImage.resolve(name + ".exe");
            case "macos" -> appImage.resolve("Contents/MacOS").resolve(name);
            default -> appImage.resolve("bin").resolve(name);
        };
        List<String> cmd = new ArrayList<>();
        if (os.equals("linux")
                && (System.getenv("DISPLAY") == null || System.getenv("DISPLAY").isBlank())) {
            if (!onPath("xvfb-run")) {
                return null;
            }
            cmd.addAll(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x800x24"));
        }
        cmd.add(launcher.toString());
        cmd.add("--smoke");
        return cmd;
    }

    /**
     * Runs the training start with -XX:AOTCacheOutput added to the main .cfg for that run only.
     * False (and a warning with the run's output) if it failed: a release must not fail for want
     * of a display on some runner; the image ships without the cache (slower start, nothing else
     * changes), and Linux CI checks that the .deb has it.
     */
    private boolean runAotTraining(Path mainCfg, List<String> cmd, Path cache)
            throws IOException, InterruptedException {
        String original = Files.readString(mainCfg, StandardCharsets.UTF_8);
        String aotOption = "java-options=-XX:AOTCacheOutput=$APPDIR/" + name + ".aot";
        Files.writeString(mainCfg, withJavaOption(original, aotOption), StandardCharsets.UTF_8);
        System.out.println("[installer] $ "
                + String.join(" ", cmd.stream().map(BuildInstaller::quote).toList()) + "   (AOT training run, "
                + aotOption + ")");
        Path log = Files.createTempFile("confab-aot", ".log");
        int rc;
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                rc = -1;
            } else {
                rc = p.exitValue();
            }
        } finally {
            Files.writeString(mainCfg, original, StandardCharsets.UTF_8);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        if (rc != 0 || !output.contains("first-frame") || !Files.isRegularFile(cache)) {
            System.err.print(output);
            System.err.println("[installer] WARNING: the AOT training run failed (exit " + rc + "); the image ships "
                    + "WITHOUT an AOT cache and starts ~0.4 s slower. Its output is above.");
            Files.deleteIfExists(cache);
            return false;
        }
        return true;
    }

    /** Adds -XX:AOTCache=$APPDIR/&lt;name&gt;.aot to every launcher's .cfg in the app dir. */
    private void pointLaunchersAtAotCache(Path appImage, Path cfgDir, Path cache) throws IOException {
        List<Path> cfgs;
        try (Stream<Path> s = Files.list(cfgDir)) {
            cfgs = s.filter(p -> p.getFileName().toString().endsWith(".cfg") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        }
        for (Path cfg : cfgs) {
            String text = Files.readString(cfg, StandardCharsets.UTF_8);
            Files.writeString(
                    cfg,
                    withJavaOption(text, "java-options=-XX:AOTCache=$APPDIR/" + name + ".aot"),
                    StandardCharsets.UTF_8);
        }
        System.out.printf(
                "[installer] AOT cache %s: %.1f MB, used by %d launcher(s)%n",
                appImage.relativize(cache), Files.size(cache) / 1_048_576.0, cfgs.size());
    }

    /** What a jpackage launcher .cfg says: class path (in order), main class, Java options. */
    private record LauncherCfg(List<String> classpath, String mainClass, List<String> javaOptions) {
        static LauncherCfg read(Path cfg) throws IOException {
            List<String> classpath = new ArrayList<>();
            List<String> javaOptions = new ArrayList<>();
            String mainClass = null;
            String section = "";
            for (String line : Files.readAllLines(cfg, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.startsWith("[") && l.endsWith("]")) {
                    section = l;
                } else if (section.equals("[Application]") && l.startsWith("app.classpath=")) {
                    classpath.add(l.substring("app.classpath=".length()));
                } else if (section.equals("[Application]") && l.startsWith("app.mainclass=")) {
                    mainClass = l.substring("app.mainclass=".length());
                } else if (section.equals("[JavaOptions]") && l.startsWith("java-options=")) {
                    javaOptions.add(l.substring("java-options=".length()));
                } else if (!l.isEmpty()
                        && !l.startsWith("#")
                        && !section.equals("[Application]")
                        && !section.equals("[JavaOptions]")) {
                    throw new IllegalStateException(
                            "unexpected in " + cfg + " (the shell launcher would drop it): " + line);
                }
            }
            if (mainClass == null || classpath.isEmpty()) {
                throw new IllegalStateException("no app.mainclass / app.classpath in " + cfg);
            }
            return new LauncherCfg(classpath, mainClass, javaOptions);
        }
    }

    /**
     * Replaces jpackage's native Linux launcher {@code bin/<name>} with a shell script that runs
     * the image's own {@code java} with exactly what the launcher's .cfg says (class path in the
     * same order, main class, Java options with {@code $APPDIR} filled in), so the AOT cache's
     * class path still matches. Why: at every start the native launcher asks the package manager
     * which package owns it, to find its files in case a package moved them: {@code rpm -qf},
     * {@code dpkg -S} and {@code dpkg -L}, and then its library asks again. {@code dpkg -S} reads
     * the whole dpkg database; measured here (strace, installed .deb) that was 0.4 to 0.6 s before
     * the JVM even started, more on a desktop with thousands of packages. The script is POSIX sh,
     * resolves symlinks ({@code /usr/bin/confab}) with {@code readlink -f}, and ignores
     * {@code JDK_JAVA_OPTIONS} as the native launcher did.
     */
    private void writeShellLauncher(Path appImage) throws IOException {
        Path launcher = appImage.resolve("bin").resolve(name);
        LauncherCfg cfg = LauncherCfg.read(appImage.resolve("lib/app").resolve(name + ".cfg"));
        Files.delete(launcher);
        Files.writeString(launcher, shellLauncherScript(cfg), StandardCharsets.UTF_8);
        launcher.toFile().setExecutable(true, false);
        System.out.println("[installer] bin/" + name + ": shell launcher ("
                + cfg.javaOptions().size() + " Java options, " + cfg.classpath().size() + " jars)");
    }

    /** The POSIX sh launcher for a .cfg (see writeShellLauncher). */
    private String shellLauncherScript(LauncherCfg cfg) {
        StringBuilder sh = new StringBuilder();
        sh.append("#!/bin/sh\n");
        sh.append("# ")
                .append(name)
                .append(" launcher, written by packaging/BuildInstaller.java from lib/app/")
                .append(name)
                .append(
                        ".cfg.\n# It replaces jpackage's native launcher, which ran rpm -qf, dpkg -S and dpkg -L at every start\n")
                .append("# (0.4-0.6 s before the JVM started). Same JVM, options, class path and main class.\n");
        sh.append("bin=$(dirname \"$(readlink -f \"$0\")\")\n");
        sh.append("root=$(dirname \"$bin\")\n");
        sh.append("APPDIR=\"$root/lib/app\"\n");
        sh.append("unset JDK_JAVA_OPTIONS\n");
        sh.append("exec \"$root/lib/runtime/bin/java\"");
        for (String o : cfg.javaOptions()) {
            sh.append(" \\\n  ").append(shellWord(o));
        }
        sh.append(" \\\n  \"-Djpackage.app-path=$bin/").append(name).append('"');
        sh.append(" \\\n  -cp ").append(shellWord(String.join(":", cfg.classpath())));
        sh.append(" \\\n  ").append(shellWord(cfg.mainClass())).append(" \"$@\"\n");
        return sh.toString();
    }

    /** jpackage --type &lt;type&gt; --app-image ... -> target/installer/*.deb|rpm|msi|dmg. */
    private void jpackageInstaller(String type, Path appImage, Path resources) {
        List<String> pkg = new ArrayList<>(List.of(
                "--type", type,
                "--dest", out.toString(),
                "--app-image", appImage.toString(),
                "--name", name,
                "--app-version", appVersion,
                "--vendor", settings.get("vendor"),
                "--description", settings.get("description"),
                "--copyright", settings.get("copyright"),
                "--about-url", settings.get("aboutUrl"),
                "--resource-dir", resources.toString(),
                "--temp", work.resolve("jpackage-temp/" + type).toString()));
        pkg.add("@" + osDir.resolve("package.args"));
        if (Files.exists(osDir.resolve("package-" + type + ".args"))) {
            pkg.add("@" + osDir.resolve("package-" + type + ".args"));
        }
        tool("jpackage", pkg.toArray(String[]::new));
    }

    /**
     * macOS: jpackage refuses app-version 0.x, so it got 1.0.0 and the Info.plist carries the real
     * version; name the installer files after the real version as well. Nothing to do elsewhere.
     */
    private void renameInstallersToRealVersion() throws IOException {
        if (appVersion.equals(version)) {
            return;
        }
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String fixed = p.getFileName().toString().replace(appVersion, version);
                Files.move(p, p.resolveSibling(fixed), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Lists target/installer/ with sizes; fails if a requested installer type is not there. */
    private void verifyOutputs() throws IOException {
        List<Path> outputs;
        try (Stream<Path> s = Files.list(out)) {
            outputs = s.sorted().toList();
        }
        System.out.println("[installer] outputs in " + base.relativize(out) + ":");
        for (Path p : outputs) {
            long size = Files.isDirectory(p) ? treeSize(p) : Files.size(p);
            System.out.printf("[installer]   %-40s %6.1f MB%n", p.getFileName(), size / 1_048_576.0);
        }
        for (String type : settings.list("types")) {
            if (outputs.stream()
                    .noneMatch(p ->
                            Files.isRegularFile(p) && p.getFileName().toString().endsWith("." + type))) {
                throw new IllegalStateException("no ." + type + " in " + out);
            }
        }
    }

    // ---- helpers of the steps above -------------------------------------------------------------

    /** Unpacks one modular JavaFX jar and repacks it as a jmod, natives in the "libs" section. */
    private void toJmod(Path jar, ModuleDescriptor desc, Path jmods) throws IOException {
        Path dir = work.resolve("fx-unpacked").resolve(desc.name());
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path libs = Files.createDirectories(dir.resolve("libs"));
        int natives = 0;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String n = e.getName();
                if (e.isDirectory()
                        || n.equals("META-INF/MANIFEST.MF")
                        || n.startsWith("META-INF/substrate/")
                        || n.equals("javafx-swt.jar")) {
                    continue; // GraalVM native-image config and the SWT bridge jar: not used here
                }
                boolean nativeLib =
                        !n.contains("/") && (n.endsWith(".so") || n.endsWith(".dll") || n.endsWith(".dylib"));
                Path dest = (nativeLib ? libs : classes).resolve(n).normalize();
                if (!dest.startsWith(dir)) {
                    throw new IOException("bad entry " + n + " in " + jar);
                }
                Files.createDirectories(dest.getParent());
                Files.copy(zip, dest, StandardCopyOption.REPLACE_EXISTING);
                natives += nativeLib ? 1 : 0;
            }
        }
        List<String> args = new ArrayList<>(List.of("create", "--class-path", classes.toString()));
        if (natives > 0) {
            args.addAll(List.of("--libs", libs.toString()));
        }
        desc.rawVersion().ifPresent(v -> args.addAll(List.of("--module-version", v)));
        args.add(jmods.resolve(desc.name() + ".jmod").toString());
        tool("jmod", args.toArray(String[]::new));
    }

    /** Runs a JDK tool in this JVM (ToolProvider), echoing the command; returns its stdout. */
    private static String tool(String name, String... args) {
        List<String> a = List.of(args);
        System.out.println("[installer] $ " + name + " "
                + String.join(" ", a.stream().map(BuildInstaller::quote).toList()));
        ToolProvider tp = ToolProvider.findFirst(name)
                .orElseThrow(
                        () -> new IllegalStateException(name + " not found: run Maven with a full JDK 25 (JAVA_HOME)"));
        StringWriter so = new StringWriter();
        StringWriter se = new StringWriter();
        int rc;
        try (PrintWriter o = new PrintWriter(so);
                PrintWriter e = new PrintWriter(se)) {
            rc = tp.run(o, e, a.toArray(String[]::new));
        }
        if (!so.toString().isBlank() && !name.equals("jdeps")) {
            System.out.print(so);
        }
        if (!se.toString().isBlank()) {
            System.err.print(se);
        }
        if (rc != 0) {
            System.err.print(so);
            throw new IllegalStateException(name + " failed with exit code " + rc);
        }
        return so.toString();
    }

    private static String quote(String s) {
        return s.isEmpty() || s.matches(".*[\\s\"'$;&|].*") ? "'" + s.replace("'", "'\\''") + "'" : s;
    }

    /**
     * sqlite-jdbc carries its native library for ~25 OS/CPU pairs (27 MB); an installer is for one
     * OS, so only that OS's natives (all its CPUs) are kept: the rest would add ~12 MB to the .deb.
     */
    private static void copySqliteForThisPlatform(Path jar, Path dest) throws IOException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64/";
            case "aarch64", "arm64" -> "aarch64/";
            default -> ""; // unusual CPU: keep all of this OS's natives
        };
        String keep = (os.contains("win") ? "Windows/" : os.contains("mac") ? "Mac/" : "Linux/") + arch;
        String natives = "org/sqlite/native/";
        int[] dropped = {0};
        int kept = repackStored(jar, dest, name -> {
            boolean nativeFile = name.startsWith(natives) && !name.endsWith("/");
            if (nativeFile && !name.startsWith(natives + keep)) {
                dropped[0]++;
                return false;
            }
            return true;
        });
        System.out.println("[installer] sqlite-jdbc: kept the " + keep + " native library (" + kept
                + " entries), dropped " + dropped[0] + " for other platforms");
    }

    /**
     * Copies a jar with every entry STORED (uncompressed), in the same order, with the same
     * times. Deflated class files barely compress again, so the installers (xz in a .deb, .rpm
     * and .msi cabinets, the .dmg) shipped ~15 MB of jars; stored, the installer's own compressor
     * sees the classes themselves and the same jars cost ~8 MB in the .deb (measured, see
     * docs/packaging.md). Loading a class from a stored entry also skips the inflate. Signed jars
     * (BouncyCastle) stay valid: a jar signature covers entry contents, not their compression.
     * Returns the number of entries written.
     */
    private static int repackStored(Path jar, Path dest, Predicate<String> include) throws IOException {
        int n = 0;
        try (var in = new ZipInputStream(Files.newInputStream(jar));
                var out = new ZipOutputStream(Files.newOutputStream(dest))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!include.test(e.getName())) {
                    continue;
                }
                byte[] data = in.readAllBytes();
                var crc = new CRC32();
                crc.update(data);
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setMethod(ZipEntry.STORED);
                copy.setSize(data.length);
                copy.setCompressedSize(data.length);
                copy.setCrc(crc.getValue());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(data);
                out.closeEntry();
                n++;
            }
        }
        return n;
    }

    /** A double-quoted sh word in which only {@code $APPDIR} expands. */
    private static String shellWord(String s) {
        String q = s.replace("\\", "\\\\")
                .replace("\"", "\\\"")
                .replace("`", "\\`")
                .replace("$", "\\$")
                .replace("\\$APPDIR", "$APPDIR");
        return '"' + q + '"';
    }

    /** Adds a line to a launcher .cfg's [JavaOptions] section (creating it if needed). */
    private static String withJavaOption(String cfg, String line) {
        String nl = cfg.contains("\r\n") ? "\r\n" : "\n";
        int at = cfg.indexOf("[JavaOptions]");
        if (at < 0) {
            return cfg + (cfg.endsWith(nl) ? "" : nl) + nl + "[JavaOptions]" + nl + line + nl;
        }
        int eol = cfg.indexOf(nl, at);
        int insert = eol < 0 ? cfg.length() : eol + nl.length();
        String head = eol < 0 ? cfg + nl : cfg.substring(0, insert);
        return head + line + nl + cfg.substring(insert);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null
                && Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static void copyTree(Path from, Path to, String version) throws IOException {
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else if (isText(p)) {
                    String text = Files.readString(p, StandardCharsets.UTF_8).replace("@VERSION@", version);
                    Files.writeString(dest, text, StandardCharsets.UTF_8);
                    if (Files.isExecutable(p)) {
                        dest.toFile().setExecutable(true, false);
                    }
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static boolean isText(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(4096);
            for (byte b : head) {
                if (b == 0) {
                    return false;
                }
            }
            return true;
        }
    }

    private static long treeSize(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
