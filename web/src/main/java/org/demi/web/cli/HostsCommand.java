package org.demi.web.cli;

import org.demi.deb.BadInputException;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.demi.compliance.host.CollectMethod;
import org.demi.compliance.host.HostSpec;
import org.demi.compliance.host.HostsFile;
import org.demi.web.compliance.ComplianceSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code demi hosts}: the managed hosts in {@code <config>/hosts}. */
@Command(name = "hosts", mixinStandardHelpOptions = true,
        description = {"Declare and list the managed hosts.", "They are kept in <config>/hosts, as deb822 paragraphs."},
        subcommands = {HostsCommand.Add.class, HostsCommand.Remove.class, HostsCommand.ListHosts.class, HostsCommand.Key.class,
                HostsCommand.Trust.class, HostsCommand.Token.class})
final class HostsCommand implements Runnable {
    @ParentCommand
    Demi demi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a hosts command is required (add, remove, list, key, trust, token)");
    }

    /** The declared host named {@code host}, which must be collected by {@code method}. */
    static HostSpec declared(ComplianceSetup setup, String host, CollectMethod method, String hint) throws IOException {
        HostSpec h = setup.host(host).orElseThrow(() -> new BadInputException("no host named '" + host + "' (see demi hosts list)"));
        if (h.collect() != method) {
            throw new BadInputException(host + " is collected by " + h.collect().word() + ", not " + method.word() + hint);
        }
        return h;
    }

    ComplianceSetup setup() {
        return new ComplianceSetup(demi.global.configuration());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Declares a host (or replaces its declaration).")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        HostsCommand hosts;

        @Parameters(index = "0", paramLabel = "HOST", description = "The name Demi knows the host by.")
        String host;

        @Option(names = "--address", paramLabel = "ADDRESS", description = "Where to reach it over SSH (default: HOST).")
        String address;

        @Option(names = "--port", defaultValue = "22", paramLabel = "PORT", description = "SSH port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--user", defaultValue = "demi", paramLabel = "USER", description = "SSH user (default: ${DEFAULT-VALUE}).")
        String user;

        @Option(names = "--group", paramLabel = "GROUP", description = "A group the host belongs to; repeat for several.")
        List<String> groups = new ArrayList<>();

        @Option(names = "--collect", defaultValue = "ssh", paramLabel = "METHOD",
                description = "How its inventory is collected: ssh, push or local (default: ${DEFAULT-VALUE}).")
        String collect;

        @Option(names = "--deliver", description = "Deliver its updates over SSH after each of serve's collections (demi deliver); "
                + "SSH hosts only.")
        boolean deliver;

        @Override
        public Integer call() throws IOException {
            HostSpec spec = new HostSpec(host, address, port, user, groups, CollectMethod.parse(collect), deliver);
            ComplianceSetup setup = hosts.setup();
            List<HostSpec> all = new ArrayList<>(HostsFile.read(setup.hostsFile()));
            boolean replaced = all.removeIf(h -> h.host().equals(host));
            all.add(spec);
            HostsFile.write(setup.hostsFile(), all);
            PrintWriter out = hosts.spec.commandLine().getOut();
            if (spec.collect() != CollectMethod.PUSH && setup.pushTokens().revoke(host)) {
                // A push token is for a push host: switching it to SSH and back must not bring an old token back.
                out.println("revoked " + host + "'s push token");
            }
            out.println((replaced ? "updated " : "added ") + host + " (" + spec.collect().word()
                    + (spec.collect() == CollectMethod.SSH ? " " + spec.user() + "@" + spec.address() + ":" + spec.port() : "")
                    + (spec.deliver() ? ", deliveries after each collection" : "") + ")");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Remove a host's declaration.", "Removes a host's declaration; its inventories and history stay in the data directory."})
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        HostsCommand hosts;

        @Parameters(index = "0", paramLabel = "HOST", description = "A declared host (demi hosts list).")
        String host;

        @Override
        public Integer call() throws IOException {
            ComplianceSetup setup = hosts.setup();
            List<HostSpec> all = new ArrayList<>(HostsFile.read(setup.hostsFile()));
            if (!all.removeIf(h -> h.host().equals(host))) {
                throw new BadInputException("no host named '" + host + "' in " + setup.hostsFile());
            }
            HostsFile.write(setup.hostsFile(), all);
            hosts.spec.commandLine().getOut().println("removed " + host);
            if (setup.pushTokens().revoke(host)) {
                // Declaring the name again later must not bring its old token back to life.
                hosts.spec.commandLine().getOut().println("revoked " + host + "'s push token");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the managed hosts.")
    static final class ListHosts implements Callable<Integer> {
        @ParentCommand
        HostsCommand hosts;

        @Override
        public Integer call() throws IOException {
            ComplianceSetup setup = hosts.setup();
            PrintWriter out = hosts.spec.commandLine().getOut();
            List<HostSpec> declared = HostsFile.read(setup.hostsFile());
            if (declared.isEmpty()) {
                out.println("no hosts in " + setup.hostsFile() + "; the machine Demi runs on is collected locally as "
                        + setup.hosts().get(0).host());
                return 0;
            }
            out.printf("%-24s %-7s %-32s %s%n", "HOST", "COLLECT", "ADDRESS", "GROUPS");
            for (HostSpec h : declared) {
                String where = h.collect() == CollectMethod.SSH ? h.user() + "@" + h.address() + ":" + h.port() : "-";
                out.printf("%-24s %-7s %-32s %s%n", h.host(), h.collect().word(), where, String.join(" ", h.groups()));
            }
            return 0;
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = {"Print the server's SSH public key.",
                "Prints the server's SSH public key (Ed25519, made at first use under <data>/keys/),",
                    "and the line that lets it run the inventory program, and nothing else, on a host."})
    static final class Key implements Callable<Integer> {
        @ParentCommand
        HostsCommand hosts;

        @Override
        public Integer call() throws IOException {
            var identity = hosts.setup().sshIdentity();
            PrintWriter out = hosts.spec.commandLine().getOut();
            out.println(identity.publicKey());
            out.println();
            out.println("On each host, in ~demi/.ssh/authorized_keys (the account named by the host's User):");
            out.println(identity.authorizedKeysLine("/usr/bin/demi-inventory"));
            return 0;
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = {"Record the SSH host key a host presents.",
                "Connects to a host, shows the fingerprint of the key it presents, and records the key in",
                    "the server's known_hosts. Compare the fingerprint with 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub'",
                    "on the host. A host whose key is already known with another value is only replaced with --replace."})
    static final class Trust implements Callable<Integer> {
        @ParentCommand
        HostsCommand hosts;

        @Parameters(index = "0", paramLabel = "HOST", description = "A declared host (demi hosts list).")
        String host;

        @Option(names = "--replace", description = "Replace a different key on record (after checking the new one out of band).")
        boolean replace;

        @Override
        public Integer call() throws IOException {
            ComplianceSetup setup = hosts.setup();
            HostSpec h = declared(setup, host, CollectMethod.SSH, "");
            var known = setup.knownHosts();
            String id = org.demi.compliance.ssh.KnownHosts.hostId(h.address(), h.port());
            org.demi.compliance.ssh.KnownHosts.Key key;
            try (var collector = setup.sshCollector()) {
                key = collector.presentedKey(h);
            }
            PrintWriter out = hosts.spec.commandLine().getOut();
            switch (known.check(id, key)) {
                case KNOWN -> {
                    out.println(host + ": " + key.type() + " " + key.fingerprint() + " is already trusted");
                    return 0;
                }
                case CHANGED -> {
                    if (!replace) {
                        hosts.spec.commandLine().getErr().println("demi: " + host + " presents " + key.type() + " "
                                + key.fingerprint() + ", but known_hosts has a different " + key.type()
                                + " key for " + id + ". If the host was really re-keyed, check the new fingerprint on"
                                + " the host, then run again with --replace.");
                        return 1;
                    }
                }
                case UNKNOWN -> {
                }
            }
            known.trust(id, key);
            out.println(host + ": trusted " + key.type() + " " + key.fingerprint() + " for " + id);
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = {"Make new push tokens for push hosts.",
                "Makes a new push token for each push host named and prints it once; the previous one stops working.",
                    "One host: its token alone. Several: a 'HOST TOKEN' line each, all made in one write of the file.",
                    "Only each token's SHA256 is kept (<data>/keys/push-tokens). The host sends it as 'Authorization: Bearer TOKEN'."})
    static final class Token implements Callable<Integer> {
        @ParentCommand
        HostsCommand hosts;

        @Parameters(index = "0..*", arity = "1..*", paramLabel = "HOST", description = "Declared push hosts (demi hosts list).")
        List<String> names;

        @Override
        public Integer call() throws IOException {
            ComplianceSetup setup = hosts.setup();
            for (String host : names) {
                declared(setup, host, CollectMethod.PUSH, "; declare it with --collect push to give it a token; no token was made");
            }
            Map<String, String> made = setup.pushTokens().issue(new LinkedHashSet<>(names));
            PrintWriter out = hosts.spec.commandLine().getOut();
            if (made.size() == 1) {
                out.println(made.values().iterator().next());
            } else {
                made.forEach((host, token) -> out.println(host + " " + token));
            }
            return 0;
        }
    }
}
