import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.commandline.admin.security.SetInitialPasswordCommand;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import inet.ipaddr.IPAddressString;
import picocli.CommandLine;

/**
 * kg's local Neo4j Community server: the embedded database with its Bolt connector, started by
 * {@code kg neo4j start} (kg/neo4j_server.py). The Neo4j tarball with its own launcher is not on
 * Maven Central, the embedded API is, so this small class plays the part of {@code bin/neo4j}.
 *
 * <p>Usage: {@code java -cp 'lib/*' KgNeo4j.java HOME PORT PAGECACHE} with the password of user
 * neo4j in the environment variable {@code KG_NEO4J_PASSWORD} (not an argument: arguments are
 * visible to every user in {@code ps}). The database files live in {@code HOME/data}.
 */
public final class KgNeo4j {

    private KgNeo4j() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: KgNeo4j HOME PORT PAGECACHE (e.g. ~/.kg/neo4j 7687 512m)");
            System.exit(2);
        }
        String password = System.getenv("KG_NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            System.err.println("KgNeo4j: environment variable KG_NEO4J_PASSWORD is not set");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        boolean firstStart = !Files.exists(home.resolve("data/databases/system"));
        Path imports = emptyImportFolder(home);
        if (firstStart) {
            setInitialPassword(home, password);
        }

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(args[2]))
                // LOAD CSV reads no local file and fetches no URL, whatever a query asks: kg loads
                // through parameters and neo4j-admin, and the read-only console must not become a
                // file reader or a fetcher of internal URLs (issue 18). File URLs are off, and would
                // resolve inside an empty folder anyway; every address is blocked for web URLs.
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, imports)
                .setConfig(GraphDatabaseInternalSettings.cypher_ip_blocklist,
                        List.of(new IPAddressString("0.0.0.0/0"), new IPAddressString("::/0")))
                // No procedure from a plugin jar is loaded (kg uses none; the built-in ones stay).
                .setConfig(GraphDatabaseSettings.procedure_allowlist, List.of())
                // Preallocation reserves 256 MB of transaction log per database up front.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Bolt otherwise waits 5 s for idle connections and 5 s more for its threads on
                // every stop; a local single-user server has nothing worth waiting that long for.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .build();
        // Without a clean shutdown the next start has to run recovery over the transaction logs;
        // the JVM runs this hook on SIGTERM (kg neo4j stop) and on Ctrl-C.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("KgNeo4j: shutting down");
            service.shutdown();
            stopped.countDown();
        }, "kg-neo4j-shutdown"));

        try {
            if (firstStart) {
                // The system database has taken the initial password over; drop the file with its hash.
                Files.deleteIfExists(home.resolve("data/dbms/auth.ini"));
            } else {
                resetPassword(service, password);
            }
        } catch (RuntimeException | IOException e) {
            // The Neo4j threads would keep the JVM alive without a usable login: exit (the hook
            // above closes the database) so that kg reports the failure.
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println("KgNeo4j: ready on bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    /**
     * The folder LOAD CSV file URLs would resolve in: kg's own, created empty and readable by its
     * owner only (nothing of kg is ever put there).
     */
    private static Path emptyImportFolder(Path home) {
        Path imports = home.resolve("import");
        try {
            Files.createDirectories(imports, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            System.err.println("KgNeo4j: cannot create " + imports + ": " + e.getMessage());
            System.exit(1);
        }
        return imports;
    }

    /**
     * Give user neo4j its password before the very first start, the way {@code neo4j-admin dbms
     * set-initial-password} does: otherwise the database would come up with the default password
     * "neo4j", and clients polling with the real one would trip the failed-login lockout.
     */
    private static void setInitialPassword(Path home, String password) {
        // Its "only takes effect before the first start" notice is noise here: it always is.
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ExecutionContext context = new ExecutionContext(home, home.resolve("conf"), quiet, System.err,
                new DefaultFileSystemAbstraction());
        // "--" ends the options: a generated password may begin with "-" (1 in 64 of them do), and
        // the command line would read it as an unknown option.
        int exit = new CommandLine(new SetInitialPasswordCommand(context)).execute("--", password);
        if (exit != 0) {
            System.err.println("KgNeo4j: could not set the initial password (exit " + exit + ")");
            System.exit(1);
        }
    }

    /**
     * Keep the password file the single source of truth on later starts too: a password file that
     * was lost and regenerated is applied here, so the database never needs a manual reset.
     */
    private static void resetPassword(DatabaseManagementService service, String password) {
        try {
            service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (QueryExecutionException e) {
            // Neo4j refuses to "change" a password to the one it already has; anything else is real.
            if (!e.getMessage().contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }
}
