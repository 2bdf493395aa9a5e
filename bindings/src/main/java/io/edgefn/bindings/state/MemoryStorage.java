package io.edgefn.bindings.state;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A store in memory: gone when the process ends. For the test kit and hosts without a data directory. */
final class MemoryStorage implements Storage {

    private record Entry(byte[] value, long version) {
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private long liveBytes;
    private long versions;

    @Override
    public byte[] read(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.value();
    }

    @Override
    public long version(String key) {
        Entry e = entries.get(key);
        return e == null ? 0 : e.version();
    }

    @Override
    public void put(String key, byte[] value) {
        liveBytes -= entryBytes(key);
        entries.put(key, new Entry(value.clone(), ++versions));
        liveBytes += entryBytes(key);
    }

    @Override
    public boolean remove(String key) {
        liveBytes -= entryBytes(key);
        return entries.remove(key) != null;
    }

    @Override
    public Set<String> keys() {
        return Set.copyOf(entries.keySet());
    }

    @Override
    public long liveBytes() {
        return liveBytes;
    }

    @Override
    public long entryBytes(String key) {
        Entry e = entries.get(key);
        return e == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length + e.value().length;
    }

    @Override
    public void close() {
    }
}
