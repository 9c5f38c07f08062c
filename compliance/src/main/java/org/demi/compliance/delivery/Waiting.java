package org.demi.compliance.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.demi.compliance.evaluation.HostEvaluation;
import org.demi.compliance.evaluation.PackageEvaluation;
import org.demi.deb.version.Version;

/**
 * An update delivered to a host and not installed yet: the host's latest inventory still has an
 * older version of the package than the one delivered.
 *
 * @param since the first delivery that carried this version
 */
public record Waiting(String qualifiedName, Version delivered, Version installed, Instant since) {
    /** What the host holds delivered and has not installed, by its deliveries and its latest evaluation. */
    public static List<Waiting> of(List<Delivery> log, HostEvaluation e) {
        Map<String, PackageEvaluation> installed = new java.util.HashMap<>();
        e.packages().forEach(p -> installed.put(p.qualifiedName(), p));
        Delivery last = null;
        for (int i = log.size() - 1; i >= 0 && last == null; i--) {
            if (log.get(i).delivered()) {
                last = log.get(i);
            }
        }
        if (last == null) {
            return List.of();
        }
        List<Waiting> out = new ArrayList<>();
        for (String p : last.packages()) {
            int space = p.indexOf(' ');
            String name = p.substring(0, space);
            Version v = Version.parseTolerant(p.substring(space + 1));
            PackageEvaluation now = installed.get(name);
            if (now == null || now.installed().compareTo(v) >= 0) {
                continue; // installed since, or removed
            }
            Instant since = last.time();
            for (Delivery d : log) {
                if (d.delivered() && d.packages().contains(p)) {
                    since = d.time();
                    break;
                }
            }
            out.add(new Waiting(name, v, now.installed(), since));
        }
        return out;
    }

    /** The command that installs them on the host, from the delivered tree. */
    public static String installCommand(List<Waiting> waiting) {
        return waiting.isEmpty() ? "" : "apt-get update && apt-get install --only-upgrade "
                + String.join(" ", waiting.stream().map(w -> w.qualifiedName()).distinct().toList());
    }
}
