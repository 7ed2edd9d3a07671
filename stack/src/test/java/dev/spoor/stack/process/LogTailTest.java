package dev.spoor.stack.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir
  Path dir;

  @Test
  void returnsTheLastLinesOfALargeLog() throws IOException {
    Path log = dir.resolve("service.log");
    Files.writeString(log, IntStream.rangeClosed(1, 100_000).mapToObj(i -> "line " + i)
        .collect(Collectors.joining("\n")) + "\n");

    assertThat(LogTail.lastLines(log, 3)).containsExactly("line 99998", "line 99999", "line 100000");
  }

  @Test
  void aMissingLogHasNoLinesAndSaysSoWhenIndented() {
    Path log = dir.resolve("absent.log");

    assertThat(LogTail.lastLines(log, 5)).isEmpty();
    assertThat(LogTail.indented(log, 5)).contains("log is empty").contains("absent.log");
  }
}
