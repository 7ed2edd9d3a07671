package dev.spoor.stack.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessDescriptionTest {
  @Test
  void classpathIsElidedSoTheMainClassStaysVisible() {
    String command = "/usr/bin/java -Xmx512m -cp /a.jar:/b.jar:" + "/x/y.jar:".repeat(200) + " kafka.Kafka server.properties";

    String shortened = ProcessDescription.shorten(command);

    assertThat(shortened).isEqualTo("/usr/bin/java -Xmx512m -cp … kafka.Kafka server.properties");
  }

  @Test
  void veryLongCommandsKeepTheirStartAndEnd() {
    String command = "prog " + "--flag ".repeat(100) + "last-argument";

    String shortened = ProcessDescription.shorten(command);

    assertThat(shortened).startsWith("prog --flag").endsWith("last-argument").contains(" … ");
    assertThat(shortened.length()).isLessThan(170);
  }
}
