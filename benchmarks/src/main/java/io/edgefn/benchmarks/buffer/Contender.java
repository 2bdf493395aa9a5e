package io.edgefn.benchmarks.buffer;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The contenders of {@code edgefn bench buffer}: edgefn's buffer and the durable embedded stores an
 * expert would put in its place, each configured and grouped as its experts use it, plus Kura's H2
 * store as Kura runs it (not durable). Every store but edgefn's is driven by a {@link GroupCommitter}:
 * one thread takes every waiting record, writes them in one transaction or batch ending with a sync,
 * then acknowledges them. Each opens a store in a directory of its own and can count, after a
 * reopen, the records that survived. Immutable.
 */
enum Contender {
    /** edgefn's OfflineBuffer, default options (group commit: acks after the fsync covering the record). */
    EDGEFN("edgefn", "edgefn OfflineBuffer, group commit (default options)", true),
    /** H2 2.3 SQL over JDBC: executeBatch of the group's INSERTs, commit, CHECKPOINT SYNC (fsync). */
    H2_SQL("h2-sql", "H2 SQL: executeBatch per group + commit + CHECKPOINT SYNC", true),
    /** H2's MVStore used directly as a key-value store: put per record, commit() + sync() per group. */
    H2_MVSTORE("h2-mvstore", "H2 MVStore MVMap: put per record, commit + sync per group", true),
    /** SQLite through xerial's JDBC driver, WAL journal, synchronous=FULL, one transaction per group. */
    SQLITE("sqlite-wal", "SQLite WAL, synchronous=FULL, one transaction (executeBatch) per group", true),
    /** RocksDB: one WriteBatch per group written with WriteOptions.setSync(true). */
    ROCKSDB("rocksdb", "RocksDB WriteBatch per group, WriteOptions.setSync(true)", true),
    /** Kura's H2 message store as Kura runs it: one INSERT committed per message, nothing fsynced. */
    KURA("kura-h2", "Kura's store: H2 SQL, one INSERT + commit per message, no fsync (NOT durable)", false);

    private final String id;
    private final String description;
    private final boolean durable;

    Contender(String id, String description, boolean durable) {
        this.id = id;
        this.description = description;
        this.durable = durable;
    }

    /** The name used on the command line and in the JSON. */
    String id() {
        return id;
    }

    /** What the contender is and how it is configured. */
    String description() {
        return description;
    }

    /** Whether an ack means the record was fsynced; a contender that is not may never be the best store. */
    boolean durable() {
        return durable;
    }

    /**
     * The contender named {@code id}.
     *
     * @throws IllegalArgumentException naming the known ones
     */
    static Contender byId(String id) {
        for (Contender c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown contender '" + id + "'; known: "
                + java.util.Arrays.stream(values()).map(Contender::id).toList());
    }

    /** Opens (creating) this contender's store in {@code dir}. */
    Sink open(Path dir) throws Exception {
        Files.createDirectories(dir);
        return switch (this) {
            case EDGEFN -> new EdgefnSink(dir);
            case H2_SQL -> new GroupCommitter(h2Sql(dir, true), Integer.MAX_VALUE);
            case KURA -> new GroupCommitter(h2Sql(dir, false), 1);
            case H2_MVSTORE -> new GroupCommitter(mvStore(dir), Integer.MAX_VALUE);
            case SQLITE -> new GroupCommitter(sqlite(dir), Integer.MAX_VALUE);
            case ROCKSDB -> new GroupCommitter(rocksDb(dir), Integer.MAX_VALUE);
        };
    }

    /** Reopens the store in {@code dir} and counts the records it holds. */
    long count(Path dir) throws Exception {
        return switch (this) {
            case EDGEFN -> EdgefnSink.count(dir);
            case H2_SQL, KURA -> countRows(DriverManager.getConnection(h2Url(dir), "sa", ""));
            case SQLITE -> countRows(DriverManager.getConnection(sqliteUrl(dir)));
            case H2_MVSTORE -> {
                try (MVStore s = new MVStore.Builder().fileName(dir.resolve("store.mv").toString()).open()) {
                    yield s.<Long, byte[]>openMap("records").sizeAsLong();
                }
            }
            case ROCKSDB -> {
                RocksDB.loadLibrary();
                try (Options o = new Options(); RocksDB db = RocksDB.open(o, dir.toString());
                     RocksIterator it = db.newIterator()) {
                    long n = 0;
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        n++;
                    }
                    yield n;
                }
            }
        };
    }

    private static long countRows(Connection conn) throws SQLException {
        try (conn; Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM records")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String h2Url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath();
    }

    private static String sqliteUrl(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("store.db").toAbsolutePath();
    }

    /**
     * H2 SQL. Durable: the group's INSERTs in one executeBatch, a commit, then {@code CHECKPOINT SYNC}
     * (H2 2.x does not fsync on commit; this statement writes and fsyncs the store). As Kura: a group
     * is one record, committed, never synced.
     */
    private static GroupCommitter.GroupStore h2Sql(Path dir, boolean durable) throws SQLException {
        Connection conn = DriverManager.getConnection(h2Url(dir), "sa", "");
        try (Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS records(id BIGINT AUTO_INCREMENT PRIMARY KEY, payload VARBINARY(1024))");
        }
        conn.setAutoCommit(false);
        PreparedStatement insert = conn.prepareStatement("INSERT INTO records(payload) VALUES (?)");
        Statement sync = conn.createStatement();
        return new GroupCommitter.GroupStore() {
            @Override
            public void write(List<byte[]> group) throws SQLException {
                if (durable) {
                    for (byte[] r : group) {
                        insert.setBytes(1, r);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    conn.commit();
                    sync.execute("CHECKPOINT SYNC");
                } else {
                    for (byte[] r : group) {
                        insert.setBytes(1, r);
                        insert.executeUpdate();
                        conn.commit();
                    }
                }
            }

            @Override
            public boolean syncs() {
                return durable;
            }

            @Override
            public void close() throws SQLException {
                conn.close();
            }
        };
    }

    /** H2 MVStore: no background auto-commit thread; per group the puts, {@code commit()}, {@code sync()}. */
    private static GroupCommitter.GroupStore mvStore(Path dir) {
        MVStore store = new MVStore.Builder().fileName(dir.resolve("store.mv").toString()).autoCommitDisabled().open();
        MVMap<Long, byte[]> map = store.openMap("records");
        long[] next = {map.sizeAsLong()};
        return new GroupCommitter.GroupStore() {
            @Override
            public void write(List<byte[]> group) {
                for (byte[] r : group) {
                    map.put(next[0]++, r);
                }
                store.commit();
                store.sync();
            }

            @Override
            public boolean syncs() {
                return true;
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }

    /**
     * SQLite: {@code journal_mode=WAL}, {@code synchronous=FULL} (the WAL is fsynced at every commit),
     * one transaction of a batched INSERT per group; checkpoints as SQLite does by default.
     */
    private static GroupCommitter.GroupStore sqlite(Path dir) throws SQLException {
        Connection conn = DriverManager.getConnection(sqliteUrl(dir));
        try (Statement s = conn.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("CREATE TABLE IF NOT EXISTS records(id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                if (!rs.getString(1).toLowerCase(Locale.ROOT).equals("wal")) {
                    throw new SQLException("SQLite refused WAL mode: journal_mode is " + rs.getString(1));
                }
            }
        }
        conn.setAutoCommit(false);
        PreparedStatement insert = conn.prepareStatement("INSERT INTO records(payload) VALUES (?)");
        return new GroupCommitter.GroupStore() {
            @Override
            public void write(List<byte[]> group) throws SQLException {
                for (byte[] r : group) {
                    insert.setBytes(1, r);
                    insert.addBatch();
                }
                insert.executeBatch();
                conn.commit();
            }

            @Override
            public boolean syncs() {
                return true;
            }

            @Override
            public void close() throws SQLException {
                conn.close();
            }
        };
    }

    /** RocksDB with default options: per group one WriteBatch, written with {@code sync=true} (WAL fsynced). */
    private static GroupCommitter.GroupStore rocksDb(Path dir) throws Exception {
        RocksDB.loadLibrary();
        Options options = new Options().setCreateIfMissing(true);
        RocksDB db = RocksDB.open(options, dir.toString());
        WriteOptions sync = new WriteOptions().setSync(true);
        long[] next = {0};
        return new GroupCommitter.GroupStore() {
            @Override
            public void write(List<byte[]> group) throws Exception {
                try (WriteBatch batch = new WriteBatch()) {
                    ByteBuffer key = ByteBuffer.allocate(8);
                    for (byte[] r : group) {
                        batch.put(key.clear().putLong(next[0]++).array().clone(), r);
                    }
                    db.write(sync, batch);
                }
            }

            @Override
            public boolean syncs() {
                return true;
            }

            @Override
            public void close() {
                sync.close();
                db.close();
                options.close();
            }
        };
    }
}
