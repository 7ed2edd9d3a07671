package dev.spoor.stack.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortOwnerTest {
  @Test
  void aListeningSocketOfThisJvmIsNamedWithOurPid() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = socket.getLocalPort();

      assertThat(PortOwner.isFree("127.0.0.1", port)).isFalse();
      assertThat(PortOwner.listenerOf(port))
          .hasValueSatisfying(owner -> assertThat(owner.pid()).isEqualTo(ProcessHandle.current().pid()));
    }
  }

  @Test
  void aClosedPortIsFreeAndHasNoOwner() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    assertThat(PortOwner.isFree("127.0.0.1", port)).isTrue();
    assertThat(PortOwner.listenerOf(port)).isEmpty();
  }

  @Test
  void onlyListeningRowsOfTheWantedPortAreRead(@TempDir Path dir) throws IOException {
    Path table = dir.resolve("tcp");
    Files.writeString(table, String.join("\n",
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        "   0: 0100007F:2384 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1",
        "   1: 0100007F:2384 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 222 1",
        "   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1"));

    assertThat(PortOwner.listeningInodes(table, 9092)).containsExactly("111");
    assertThat(PortOwner.listeningInodes(table, 8080)).containsExactly("333");
    assertThat(PortOwner.listeningInodes(table, 1234)).isEmpty();
  }
}
