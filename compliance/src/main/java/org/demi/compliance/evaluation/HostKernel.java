package org.demi.compliance.evaluation;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.demi.compliance.inventory.RunningSystem;
import org.demi.deb.status.StatusEntry;
import org.demi.deb.version.InvalidVersionException;
import org.demi.deb.version.Version;

/**
 * The Linux kernel a host runs, against the kernel images it has installed. Its CVEs are the
 * running kernel's: a newer image installed but not booted fixes nothing yet, and an older image
 * left installed beside it is not running. Debian names an image by its kernel release
 * ({@code linux-image-6.1.0-47-amd64}, ABI {@code 6.1.0-47}, flavour {@code amd64}; trixie's
 * {@code linux-image-6.12.48+deb13-amd64}), and on signed architectures builds it from
 * {@code linux-signed-amd64}, while the security tracker lists the kernel's flaws under
 * {@code linux}; the package version of an image is the kernel's version, which {@code uname
 * -v} also prints ({@code #1 SMP PREEMPT_DYNAMIC Debian 6.1.170-3 (2026-01-02)}).
 *
 * @param source         the kernel's source as the tracker names it: {@code linux}, or {@code linux-5.10} for that
 *                       source's images
 * @param flavour        the images' flavour: {@code amd64}, {@code cloud-amd64}, {@code rt-amd64}, {@code 686-pae}
 * @param release        the kernel release it runs ({@code uname -r}), empty when the host does not say
 * @param runningVersion the Debian version of the running kernel, from {@code uname -v} or else the installed image
 *                       of the running release; empty when the host does not say or runs none of its images
 * @param newestImage    the newest installed image of the flavour (the running one's, if it runs one)
 * @param newestVersion  that image's version
 */
public record HostKernel(String source, String flavour, Optional<String> release, Optional<Version> runningVersion,
        String newestImage, Version newestVersion) {
    private static final Pattern IMAGE = Pattern.compile("linux-image-(\\d[^ ]*?)(-unsigned)?");
    /** ABI then flavour: 6.1.0-47 amd64, 6.12.48+deb13 cloud-amd64, 6.1.0-0.deb11.17 amd64, 5.10.0-30 686-pae. */
    private static final Pattern RELEASE = Pattern.compile("(\\d+(?:\\.\\d+)+(?:-\\d+(?:\\.[a-z0-9]+)*|\\+[a-z]+\\d*)?)-([a-z0-9][a-z0-9-]*)");
    private static final Pattern VERSIONED_SOURCE = Pattern.compile("linux-\\d+\\.\\d+");
    private static final Pattern DEBIAN_VERSION = Pattern.compile("(?:^|\\s)Debian (\\S+)");

    /** The version its CVEs and advisories are judged at: the running kernel's, or else the newest installed image's. */
    public Version judgedAt() {
        return runningVersion.orElse(newestVersion);
    }

    /** Whether it runs an older kernel than the newest image of its flavour installed: a reboot brings that one up. */
    public boolean behind() {
        return runningVersion.map(v -> v.compareTo(newestVersion) < 0).orElse(false);
    }

    /** In words for the pages: what it runs, and what a reboot would bring. */
    public String describe() {
        String running = release.map(r -> "runs " + r + runningVersion.map(v -> " (" + source + " " + v + ")")
                .orElse(", none of its installed images")).orElse("does not say which kernel it runs");
        return running + "; newest installed image " + newestImage + " " + newestVersion;
    }

    /**
     * The host's kernel, when it has a Debian kernel image installed; empty for a host without
     * one (a container runs its host's kernel, whatever its linux-libc-dev says).
     */
    public static Optional<HostKernel> of(List<StatusEntry> installed, Optional<RunningSystem> running) {
        List<Image> images = installed.stream().map(HostKernel::image).flatMap(Optional::stream).toList();
        if (images.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> release = running.map(RunningSystem::kernelRelease);
        Optional<String> flavour = release.flatMap(HostKernel::flavour);
        List<Image> same = images.stream().filter(i -> flavour.isPresent() && i.flavour().equals(flavour.get())).toList();
        Image newest = (same.isEmpty() ? images : same).stream().max(Comparator.comparing((Image i) -> i.entry().version())
                .thenComparing(i -> i.entry().packageName())).orElseThrow();
        Optional<Version> version = running.flatMap(r -> debianVersion(r.kernelVersion()))
                .or(() -> images.stream().filter(i -> release.isPresent() && i.release().equals(release.get()))
                        .map(i -> i.entry().version()).findFirst());
        return Optional.of(new HostKernel(newest.source(), newest.flavour(), release, version, newest.entry().packageName(),
                newest.entry().version()));
    }

    /** An installed kernel image: its entry, kernel release, flavour and tracker source. */
    private record Image(StatusEntry entry, String release, String flavour, String source) {
    }

    private static Optional<Image> image(StatusEntry e) {
        if (!e.packageName().startsWith("linux-image-")) {
            return Optional.empty(); // every installed package of every host passes here
        }
        Matcher m = IMAGE.matcher(e.packageName());
        if (!m.matches() || m.group(1).endsWith("-dbg")) {
            return Optional.empty();
        }
        String release = m.group(1);
        Optional<String> source = trackerSource(e);
        Optional<String> flavour = flavour(release);
        if (source.isEmpty() || flavour.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Image(e, release, flavour.get(), source.get()));
    }

    /** The flavour of a kernel release ({@code amd64} of {@code 6.1.0-47-amd64}), empty when it is not Debian's kind. */
    static Optional<String> flavour(String release) {
        Matcher m = RELEASE.matcher(release);
        return m.matches() ? Optional.of(m.group(2)) : Optional.empty();
    }

    /** The Debian version {@code uname -v} of a Debian kernel names, if it names one. */
    static Optional<Version> debianVersion(String unameVersion) {
        Matcher m = DEBIAN_VERSION.matcher(unameVersion);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Version.parse(m.group(1)));
        } catch (InvalidVersionException e) {
            return Optional.empty();
        }
    }

    /**
     * The source the tracker lists a kernel package's flaws under: {@code linux} for what
     * {@code linux} or {@code linux-signed-amd64} built, {@code linux-5.10} for
     * {@code linux-signed-5.10-amd64}'s; empty for any other package.
     */
    public static Optional<String> trackerSource(StatusEntry e) {
        String s = e.source().name();
        if (!s.startsWith("linux")) {
            return Optional.empty(); // every installed package of every host passes here
        }
        String signed = "linux-signed-";
        if (s.startsWith(signed)) {
            String rest = s.substring(signed.length());
            String arch = "-" + e.architecture();
            if (rest.equals(e.architecture())) {
                return Optional.of("linux");
            }
            return rest.endsWith(arch) && rest.length() > arch.length()
                    ? Optional.of("linux-" + rest.substring(0, rest.length() - arch.length())) : Optional.empty();
        }
        return s.equals("linux") || VERSIONED_SOURCE.matcher(s).matches() ? Optional.of(s) : Optional.empty();
    }
}
