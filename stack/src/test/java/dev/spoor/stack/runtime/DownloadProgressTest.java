package dev.spoor.stack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DownloadProgressTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aLargeFileShowsItsShareRateAndTimeLeft() {
    DownloadProgress progress = new DownloadProgress("Trino 476");
    assertThat(progress.anything()).isFalse();
    progress.accept("[INFO] Scanning for projects...", 0);
    progress.accept("Downloading from central-for-all: https://repo.maven.apache.org/maven2/io/trino/trino-server/476/"
        + "trino-server-476.tar.gz", 0);
    progress.accept("Progress (1): 0/820 MB", 0);
    progress.accept("Progress (1): 410/820 MB", 41 * SECOND);

    assertThat(progress.anything()).isTrue();
    assertThat(progress.percent()).isEqualTo(50);
    assertThat(progress.line(41 * SECOND)).isEqualTo("Trino 476: 410.0/820.0 MB  50%  10.0 MB/s  ETA 0:41");
  }

  @Test
  void manySmallFilesAreCountedWithConcurrentTransfersSummed() {
    DownloadProgress progress = new DownloadProgress("the kafka runtime");
    progress.accept("Progress (2): 1.5/2.0 MB | 500/800 kB", 0);
    assertThat(progress.percent()).isEqualTo(-1);
    assertThat(progress.line(SECOND)).isEqualTo("the kafka runtime: 0 files, 2.0 MB, 2.0 MB/s"); // both transfers
    progress.accept("Downloaded from central-for-all: https://repo.maven.apache.org/maven2/a/b/1/b-1.jar (2.0 MB at 4 MB/s)", SECOND);
    progress.accept("Downloaded from central-for-all: https://repo.maven.apache.org/maven2/a/c/1/c-1.jar (800 kB at 1 MB/s)", 2 * SECOND);
    progress.accept("Downloaded from central-for-all: https://repo.maven.apache.org/maven2/a/c/1/c-1.pom (3.9 kB at 9 kB/s)", 2 * SECOND);

    assertThat(progress.percent()).isEqualTo(-1);
    assertThat(progress.line(2 * SECOND)).isEqualTo("the kafka runtime: 3 files, 2.8 MB, 1.4 MB/s");
  }

  @Test
  void timesLeftReadAsAClock() {
    assertThat(DownloadProgress.clock(Duration.ofSeconds(42))).isEqualTo("0:42");
    assertThat(DownloadProgress.clock(Duration.ofSeconds(3 * 3600 + 62))).isEqualTo("3:01:02");
  }
}
