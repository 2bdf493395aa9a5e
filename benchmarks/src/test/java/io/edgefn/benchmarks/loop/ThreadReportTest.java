package io.edgefn.benchmarks.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ThreadReportTest {

    @Test
    void parseThreadDump_headerLines_giveNameJavaIdAndTid() {
        String dump = """
                2026-12-01 02:40:00
                Full thread dump OpenJDK 64-Bit Server VM (25.0.3+9-LTS mixed mode, sharing):

                "main" #3 [26012] prio=5 os_prio=0 cpu=1420.70ms elapsed=7.92s tid=0x00007f02f80c9fa0 nid=26012 waiting on condition  [0x00007f02fc9fe000]
                   java.lang.Thread.State: TIMED_WAITING (sleeping)
                "edgefn-dispatch-pump-shutdown" #45 [26100] daemon prio=10 os_prio=0 cpu=3.1ms elapsed=7s tid=0x1 nid=26100 waiting
                "old style" #7 daemon prio=5 os_prio=0 tid=0x2 nid=0x65f4 runnable
                """;

        List<ThreadReport.OsThread> threads = ThreadReport.parseThreadDump(dump);

        assertThat(threads).containsExactly(
                new ThreadReport.OsThread("main", 3, 26012),
                new ThreadReport.OsThread("edgefn-dispatch-pump-shutdown", 45, 26100),
                new ThreadReport.OsThread("old style", 7, 0x65f4));
    }

    @Test
    void parseStat_readsNiceAndPolicy_evenWithParenthesesInTheName() {
        // fields: pid (comm) state ppid … field 19 nice = -10, field 41 policy = 5
        StringBuilder stat = new StringBuilder("4242 (edgefn (x) 1) S");
        for (int field = 4; field <= 52; field++) {
            stat.append(' ').append(field == 19 ? "-10" : field == 41 ? "5" : Integer.toString(field * 3));
        }

        ThreadReport.Sched s = ThreadReport.parseStat(stat.toString());

        assertThat(s.nice()).isEqualTo(-10);
        assertThat(s.policy()).isEqualTo(5);
        assertThat(s.policyName()).isEqualTo("SCHED_IDLE");
    }

    @Test
    void parseStat_shortLine_namesIt() {
        assertThatThrownBy(() -> ThreadReport.parseStat("1 (x) S 0 0"))
                .hasMessageContaining("fewer than the 39 needed").hasMessageContaining("'1 (x) S 0 0'");
    }

    @Test
    void parseStat_thisThread_isReadable() throws Exception {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));

        ThreadReport.Sched s = ThreadReport.parseStat(stat);

        assertThat(s.nice()).isBetween(-20, 19);
        assertThat(ThreadReport.policyName(s.policy())).startsWith("SCHED_");
    }

    @Test
    void group_safetyAndOrdinaryThreadsByName() {
        Set<String> safety = Set.of("pump-shutdown", "anomaly-detector");
        Set<String> ordinary = Set.of("cpu-burner");

        assertThat(ThreadReport.group("sphere-link-reader-pump-01-1", safety, ordinary)).isEqualTo("safety");
        assertThat(ThreadReport.group("edgefn-dispatch-pump-shutdown", safety, ordinary)).isEqualTo("safety");
        assertThat(ThreadReport.group("edgefn-safety-3", safety, ordinary)).isEqualTo("safety");
        assertThat(ThreadReport.group("edgefn-dispatch-cpu-burner", safety, ordinary)).isEqualTo("ordinary");
        assertThat(ThreadReport.group("edgefn-fn-0", safety, ordinary)).isEqualTo("ordinary");
        assertThat(ThreadReport.group("main", safety, ordinary)).isNull();
    }

    @Test
    void cpuNanosBetween_newThreadsCountFromZero() {
        assertThat(ThreadReport.cpuNanosBetween(Map.of(1L, 100L), Map.of(1L, 250L, 2L, 40L))).isEqualTo(190);
    }

    @Test
    void threadDump_inProcess_namesThisThreadWithItsTid() throws Exception {
        String link = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self")).toString();
        long tid = Long.parseLong(link.substring(link.lastIndexOf('/') + 1));

        assertThat(ThreadReport.parseThreadDump(ThreadReport.threadDump()))
                .contains(new ThreadReport.OsThread(Thread.currentThread().getName(), Thread.currentThread().threadId(), tid));
    }
}
