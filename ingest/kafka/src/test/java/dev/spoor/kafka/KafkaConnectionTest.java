package dev.spoor.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {
  @TempDir
  Path home;

  private KafkaConnection connection(String kafka) {
    return KafkaConnection.from(Settings.of(ConfigFactory.parseString("spoor.kafka {" + kafka + "}").resolve(),
        "spoor.kafka"), home);
  }

  @Test
  void saslSslGivesEveryClientTheLoginTheTrustedCertificateAndTheClientSection() throws Exception {
    Files.writeString(home.resolve("kafka.secret"), "pa\"ss\\word-from-file\nsecond line ignored\n");
    KafkaConnection kafka = connection("""
        bootstrap-servers = "b1:9094,b2:9094"
        security { protocol = SASL_SSL, trust-certificate = ca.pem
                   sasl { mechanism = SCRAM-SHA-256, username = spoor, password-file = kafka.secret } }
        client { client.dns.lookup = use_all_dns_ips, "ssl.endpoint.identification.algorithm" = "" }
        """);

    assertThat(kafka.clientProperties())
        .containsEntry("bootstrap.servers", "b1:9094,b2:9094")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
        .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"spoor\" password=\"pa\\\"ss\\\\word-from-file\";")
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.truststore.location", home.resolve("ca.pem").toString())
        .containsEntry("client.dns.lookup", "use_all_dns_ips")
        .containsEntry("ssl.endpoint.identification.algorithm", "");
    assertThat(kafka.sparkOptions()).containsEntry("kafka.bootstrap.servers", "b1:9094,b2:9094")
        .containsEntry("kafka.sasl.mechanism", "SCRAM-SHA-256").hasSize(kafka.clientProperties().size());
    assertThat(kafka.toString()).isEqualTo("Kafka[b1:9094,b2:9094, SASL_SSL]").doesNotContain("password");
  }

  @Test
  void thePasswordFromTheEnvironmentWinsOverTheFile() {
    KafkaConnection kafka = connection("""
        bootstrap-servers = "b:9094"
        security { protocol = SASL_PLAINTEXT
                   sasl { mechanism = PLAIN, username = u, password = "from-the-environment", password-file = none } }
        """);
    assertThat(kafka.clientProperties().get("sasl.jaas.config"))
        .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required")
        .contains("password=\"from-the-environment\"");
    assertThat(home.resolve("none")).doesNotExist();
  }

  @Test
  void plaintextNeitherReadsAPasswordNorSetsTls() {
    KafkaConnection kafka = connection("""
        bootstrap-servers = "b:9092"
        security { protocol = PLAINTEXT, trust-certificate = ca.pem
                   sasl { mechanism = SCRAM-SHA-512, username = u, password-file = never-made.secret } }
        """);
    assertThat(kafka.clientProperties()).containsOnlyKeys("bootstrap.servers", "security.protocol");
    assertThat(home.resolve("never-made.secret")).doesNotExist();
  }

  @Test
  void misconfigurationIsRejectedAtStartUpNamingTheKey() {
    assertThatThrownBy(() -> connection("bootstrap-servers = b, security.protocol = TLS"))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("spoor.kafka.security.protocol = TLS");
    assertThatThrownBy(() -> connection("""
        bootstrap-servers = b, security { protocol = SASL_SSL, sasl { mechanism = GSSAPI, username = u } }"""))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("spoor.kafka.security.sasl.mechanism = GSSAPI");
    assertThatThrownBy(() -> connection("""
        bootstrap-servers = b, security.protocol = PLAINTEXT, client { sasl.jaas.config = x }"""))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("spoor.kafka.client.sasl.jaas.config")
        .hasMessageContaining("spoor.kafka.security");
    assertThatThrownBy(() -> connection("""
        bootstrap-servers = b, security { protocol = SASL_SSL
          sasl { mechanism = PLAIN, username = u, password = short } }""").clientProperties())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("spoor.kafka.security.sasl.password");
  }
}
