package org.demi.web.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.demi.deb.BadInputException;
import org.demi.web.app.Application;
import org.demi.web.compliance.AdvisoryFeeds;
import org.demi.web.serve.Network;
import org.demi.web.serve.Tls;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code demi serve}: the apt repository of the published mirror, synced periodically. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the server: apt repository, web pages, push endpoint.",
                "Serves the mirror's published trees to apt at http://LISTEN/debian/<upstream>/, syncs them, fetches",
                "the advisory lists and collects the SSH and local hosts periodically."})
public final class ServeCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());

    @ParentCommand
    Demi demi;

    @Option(names = "--listen", defaultValue = "127.0.0.1:8080", paramLabel = "HOST:PORT",
            description = "Address to listen on, HTTPS there with --tls-cert or --tls-keystore (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate (its chain may follow) to serve HTTPS with; needs --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "Its unencrypted PEM private key.")
    Path tlsKey;

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "A PKCS#12 keystore with the key and its certificate "
            + "chain, instead of --tls-cert and --tls-key.")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password-file", paramLabel = "FILE", description = "A file holding the keystore's password "
            + "(default: an empty password).")
    Path tlsKeystorePassword;

    @Option(names = "--http-listen", paramLabel = "HOST:PORT", description = "With HTTPS, also plain HTTP here, for the apt "
            + "repository and the push endpoint only (apt checks signatures, pushes carry tokens); pages redirect to HTTPS.")
    String httpListen;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", description = "Also answer /metrics here, in Prometheus' text "
            + "format, to anyone (plain HTTP; nothing else answers there): for a Prometheus on a management network. On the main "
            + "address /metrics needs a session or an API token (Authorization: Bearer, from demi users token).")
    String metricsListen;

    @Option(names = "--sync-interval", defaultValue = "PT6H", paramLabel = "DURATION",
            description = "Time between mirror syncs, ISO-8601 (PT6H) or 0 for none; the first runs at start (default: ${DEFAULT-VALUE}).")
    String syncInterval;

    @Option(names = "--collect-interval", defaultValue = "PT1H", paramLabel = "DURATION",
            description = "Time between collections of the SSH and local hosts, ISO-8601 or 0 for none; the first runs "
                    + "at start (default: ${DEFAULT-VALUE}).")
    String collectInterval;

    @Option(names = "--advisories-interval", defaultValue = "PT6H", paramLabel = "DURATION",
            description = "Time between fetches of the security tracker's data (DSA and DLA lists, CVE JSON), ISO-8601 or 0 for none; the first "
                    + "runs at start (default: ${DEFAULT-VALUE}). Without network access, load them with demi advisories import.")
    String advisoriesInterval;

    @Option(names = "--dsa-url", paramLabel = "URL", defaultValue = AdvisoryFeeds.DSA_URL,
            description = "Where the DSA list is fetched from, or none (default: the security tracker's).")
    String dsaUrl;

    @Option(names = "--dla-url", paramLabel = "URL", defaultValue = AdvisoryFeeds.DLA_URL,
            description = "Where the DLA list is fetched from, or none (default: the security tracker's).")
    String dlaUrl;

    @Option(names = "--json-url", paramLabel = "URL", defaultValue = AdvisoryFeeds.JSON_URL,
            description = "Where the tracker's CVE data (its JSON) is fetched from, or none (default: the security tracker's).")
    String jsonUrl;

    @Option(names = "--max-connections-per-address", defaultValue = "" + Network.CONNECTIONS_PER_ADDRESS, paramLabel = "N",
            description = "Connections one source address may hold open at once; more are closed at once (default: ${DEFAULT-VALUE}). "
                    + "Raise it when many hosts reach the server through one NAT address or proxy.")
    int connectionsPerAddress;

    @Option(names = "--index", defaultValue = "lucene", paramLabel = "lucene|solr:ZKHOST:PORT[,...]/CHROOT",
            description = "Where the fleet's index is kept: lucene, in the data directory (the default), or a collection of the "
                    + "SolrCloud that this ZooKeeper ensemble and chroot run, shared with other Demi servers (each writes the hosts "
                    + "it collects; every one of them searches all).")
    String index;

    @Option(names = "--index-collection", defaultValue = "demi", paramLabel = "NAME",
            description = "With --index solr:..., the collection (made with Demi's schema if it does not exist; default: ${DEFAULT-VALUE}).")
    String indexCollection;

    @Option(names = "--index-part", paramLabel = "NAME",
            description = "With --index solr:..., this server's name among those sharing the collection: a rebuild replaces only "
                    + "its part (default: this machine's host name).")
    String indexPart;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Network network = network(address("--listen", listen));
        Application app = Application.build(demi.global.configuration(), new Application.Options(network,
                duration("--sync-interval", syncInterval), duration("--collect-interval", collectInterval),
                Application.Options.COMMIT_EVERY, duration("--advisories-interval", advisoriesInterval),
                new AdvisoryFeeds.Sources(dsaUrl, dlaUrl, jsonUrl), org.demi.web.app.IndexLocation.parse(index, indexCollection,
                Optional.ofNullable(indexPart))), out, spec.commandLine().getErr());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "stopping: " + e.getMessage(), e);
            }
        }, "shutdown"));
        app.start();
        String web = (network.tls().isPresent() ? "https://" : "http://") + listen;
        String repository = httpListen != null ? "http://" + httpListen : web;
        out.println("demi: serving " + app.upstreams().size() + " upstream(s) at " + repository + "/debian/<upstream>/ "
                + String.join(", ", app.upstreams().keySet()) + "; the server's key is at " + repository
                + "/debian/demi-archive-key.asc");
        out.println("demi: the web interface is at " + web + "/");
        app.firstRunPassword().ifPresent(p -> {
            String line = "first run: log in as admin with the password " + p;
            String rule = "=".repeat(line.length() + 4);
            out.println(rule);
            out.println("  " + line);
            out.println("  (shown this once; demi users add admin --admin sets another)");
            out.println(rule);
        });
        out.flush();
        app.join();
        return Demi.OK;
    }

    private Network network(InetSocketAddress address) throws java.io.IOException {
        if (connectionsPerAddress < 1) {
            throw new BadInputException("--max-connections-per-address must be at least 1, not " + connectionsPerAddress);
        }
        Optional<Tls> tls;
        if (tlsCert != null || tlsKey != null) {
            if (tlsCert == null || tlsKey == null || tlsKeystore != null) {
                throw new BadInputException("HTTPS needs --tls-cert and --tls-key together, or --tls-keystore alone");
            }
            tls = Optional.of(Tls.pem(tlsCert, tlsKey));
        } else if (tlsKeystore != null) {
            String password = tlsKeystorePassword == null ? "" : Files.readString(tlsKeystorePassword).strip();
            tls = Optional.of(Tls.pkcs12(tlsKeystore, password));
        } else {
            tls = Optional.empty();
        }
        if (httpListen != null && tls.isEmpty()) {
            throw new BadInputException("--http-listen is plain HTTP beside HTTPS: give --tls-cert and --tls-key (or --tls-keystore) "
                    + "too, or use --listen alone for plain HTTP");
        }
        Optional<InetSocketAddress> plain = httpListen == null ? Optional.empty() : Optional.of(address("--http-listen", httpListen));
        tls.ifPresent(t -> LOG.log(System.Logger.Level.INFO, "HTTPS at " + listen + " with the certificate of " + t.subject()));
        Network network = new Network(address, tls, plain, connectionsPerAddress, Optional.empty());
        return metricsListen == null ? network : network.withMetrics(address("--metrics-listen", metricsListen));
    }

    private static InetSocketAddress address(String option, String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0 || !text.substring(colon + 1).matches("\\d{1,5}")) {
            throw new BadInputException(option + " must be HOST:PORT, not '" + text + "'");
        }
        return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    }

    private static Duration duration(String option, String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative() || d.toSeconds() < 1) {
                throw new BadInputException(option + " must be at least one second, or 0 for never");
            }
            return d;
        } catch (java.time.format.DateTimeParseException e) {
            throw new BadInputException(option + " must be an ISO-8601 duration such as PT6H, or 0; not '" + text + "'");
        }
    }
}
