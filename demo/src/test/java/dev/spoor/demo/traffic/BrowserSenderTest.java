package dev.spoor.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserSenderTest {
  @Test
  void saysWhySpoorJsCannotRunWhereItIsNotBuilt(@TempDir Path home) throws Exception {
    Files.createDirectories(home.resolve("ingest/tracker-js"));

    // Without Chromium the reason names the browser; with it, the missing build.
    assertThat(BrowserSender.unavailable(home)).hasValueSatisfying(why -> assertThat(why)
        .matches(Files.isExecutable(BrowserSender.chromium()) ? "spoor.js is not built .*" : "no Chromium at .*"));
  }
}
