package dev.spoor.ingest.model.schema.iglu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.ingest.model.schema.SchemaKey;
import dev.spoor.ingest.model.schema.SchemaRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver against real HTTP repositories served on this machine (the JDK's HTTP server): a
 * static repository (files under {@code /schemas/…}) and an Iglu Server that wants an API key.
 */
class IgluResolverTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaKey SIGNUP = new SchemaKey("com.partner", "signup", "jsonschema", "1-0-0");

  @TempDir
  Path dir;

  private final List<HttpServer> servers = new java.util.ArrayList<>();

  /** A repository: path (under /schemas/) → body; {@code apiKey} non-null makes it answer 401 without it. */
  private record Repo(HttpServer server, Map<String, String> files, AtomicInteger requests) {
    String uri() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }
  }

  private Repo repo(String apiKey) throws IOException {
    Map<String, String> files = new ConcurrentHashMap<>();
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      String body = files.get(exchange.getRequestURI().getPath());
      int status = apiKey != null && !apiKey.equals(exchange.getRequestHeaders().getFirst("apikey")) ? 401
          : body == null ? 404 : 200;
      byte[] bytes = (status == 200 ? body : "{\"message\":\"no\"}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    servers.add(server);
    return new Repo(server, files, requests);
  }

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  private static String schema(SchemaKey key, String requiredField) {
    return "{\"$schema\":\"http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#\","
        + "\"self\":{\"vendor\":\"" + key.vendor() + "\",\"name\":\"" + key.name() + "\",\"format\":\"jsonschema\","
        + "\"version\":\"" + key.version() + "\"},\"type\":\"object\",\"properties\":{\"" + requiredField
        + "\":{\"type\":\"string\"}},\"required\":[\"" + requiredField + "\"],\"additionalProperties\":false}";
  }

  private static void put(Repo repo, SchemaKey key, String body) {
    repo.files().put("/schemas/" + key.path(), body);
  }

  /** A resolver configuration in Snowplow's format, repositories as (name, priority, prefixes, uri, apikey). */
  private ResolverConfig config(Integer ttlSeconds, Object[]... repositories) throws Exception {
    StringBuilder list = new StringBuilder();
    for (Object[] r : repositories) {
      list.append(list.length() == 0 ? "" : ",").append("{\"name\":\"").append(r[0]).append("\",\"priority\":").append(r[1])
          .append(",\"vendorPrefixes\":").append(JSON.writeValueAsString(r[2])).append(",\"connection\":{\"http\":{\"uri\":\"")
          .append(r[3]).append('"').append(r.length > 4 ? ",\"apikey\":\"" + r[4] + "\"" : "").append("}}}");
    }
    Path file = dir.resolve("iglu_resolver.json");
    Files.writeString(file, "{\"schema\":\"iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-3\",\"data\":{"
        + "\"cacheSize\":500," + (ttlSeconds == null ? "" : "\"cacheTtl\":" + ttlSeconds + ",")
        + "\"repositories\":[{\"name\":\"Iglu Central - embedded\",\"priority\":0,\"vendorPrefixes\":[],"
        + "\"connection\":{\"embedded\":{\"path\":\"/iglu-embedded\"}}}," + list + "]}}");
    return ResolverConfig.read(file);
  }

  private SchemaRegistry registry(IgluResolver resolver) {
    return SchemaRegistry.load(Path.of("../../conf/schemas"), Optional.of(resolver));
  }

  @Test
  void aSchemaTheDirectoryLacksIsFetchedValidatesAndIsFetchedOnce() throws Exception {
    Repo repo = repo(null);
    put(repo, SIGNUP, schema(SIGNUP, "email"));
    SchemaRegistry registry = registry(new IgluResolver(config(null, new Object[] {"partners", 0, List.of(), repo.uri()}),
        dir.resolve("cache"), Duration.ofSeconds(2)));

    assertThat(registry.validate(SIGNUP, JSON.readTree("{\"email\":\"a@b.example\"}"), "data")).isEmpty();
    assertThat(registry.validate(SIGNUP, JSON.readTree("{\"mail\":\"a@b.example\"}"), "data"))
        .anySatisfy(e -> assertThat(e).startsWith("data: ").contains("email").contains(SIGNUP.toUri()));
    assertThat(repo.requests()).hasValue(1);
    // A shipped schema never asks the repositories.
    assertThat(registry.validate(new SchemaKey("com.acme", "purchase", "jsonschema", "1-0-0"),
        JSON.readTree("{\"order_id\":\"o\",\"total\":1,\"items\":1}"), "data")).isEmpty();
    assertThat(repo.requests()).hasValue(1);
    assertThat(dir.resolve("cache").resolve(SIGNUP.path())).isRegularFile();
  }

  @Test
  void matchingVendorPrefixesComeFirstThenPriorityAndAnIgluServerGetsItsApiKey() throws Exception {
    Repo low = repo(null);
    Repo high = repo(null);
    Repo server = repo("s3cret");
    for (Repo r : List.of(low, high, server)) {
      put(r, SIGNUP, schema(SIGNUP, "email"));
    }
    IgluResolver byPriority = new IgluResolver(config(null, new Object[] {"high", 5, List.of(), high.uri()},
        new Object[] {"low", 1, List.of(), low.uri()}), dir.resolve("a"), Duration.ofSeconds(2));
    assertThat(byPriority.resolve(SIGNUP)).isInstanceOfSatisfying(IgluResolver.Lookup.Found.class,
        f -> assertThat(f.source()).isEqualTo("low"));

    IgluResolver byPrefix = new IgluResolver(config(null, new Object[] {"low", 1, List.of("com.other"), low.uri()},
        new Object[] {"server", 9, List.of("com.partner"), server.uri() + "/api", "s3cret"}), dir.resolve("b"),
        Duration.ofSeconds(2));
    server.files().put("/api/schemas/" + SIGNUP.path(), schema(SIGNUP, "email"));
    assertThat(byPrefix.resolve(SIGNUP)).isInstanceOfSatisfying(IgluResolver.Lookup.Found.class,
        f -> assertThat(f.source()).isEqualTo("server"));

    IgluResolver noKey = new IgluResolver(config(null, new Object[] {"server", 0, List.of(), server.uri() + "/api"}),
        dir.resolve("c"), Duration.ofSeconds(2));
    assertThat(noKey.resolve(SIGNUP)).isEqualTo(new IgluResolver.Lookup.Missing("server: HTTP 401"));
  }

  @Test
  void aSchemaNoRepositoryHasIsABadRowNamingEachRepositorysAnswer() throws Exception {
    Repo repo = repo(null);
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    SchemaRegistry registry = registry(new IgluResolver(config(null, new Object[] {"partners", 0, List.of(), repo.uri()},
        new Object[] {"gone", 1, List.of(), "http://127.0.0.1:" + closed}), dir.resolve("cache"), Duration.ofSeconds(2)));

    assertThat(registry.validate(SIGNUP, JSON.readTree("{}"), "data")).singleElement().asString()
        .startsWith("data: unknown schema " + SIGNUP.toUri() + " (not under conf/schemas; Iglu: partners: not found; "
            + "gone: unreachable (ConnectException");
  }

  @Test
  void aRepositoryThatLiesOrFloodsIsNotBelieved() throws Exception {
    Repo repo = repo(null);
    put(repo, SIGNUP, schema(new SchemaKey("com.partner", "signup", "jsonschema", "2-0-0"), "email"));
    SchemaKey big = new SchemaKey("com.partner", "big", "jsonschema", "1-0-0");
    put(repo, big, " ".repeat(IgluResolver.MAX_SCHEMA_BYTES) + schema(big, "x"));
    IgluResolver resolver = new IgluResolver(config(null, new Object[] {"partners", 0, List.of(), repo.uri()}),
        dir.resolve("cache"), Duration.ofSeconds(2));

    assertThat(resolver.resolve(SIGNUP)).isEqualTo(new IgluResolver.Lookup.Missing(
        "partners: served iglu:com.partner/signup/jsonschema/2-0-0 for " + SIGNUP.toUri()));
    assertThat(resolver.resolve(big)).isEqualTo(new IgluResolver.Lookup.Missing(
        "partners: a schema of more than " + IgluResolver.MAX_SCHEMA_BYTES + " bytes"));
  }

  @Test
  void whenTheRepositoryIsDownTheLastKnownSchemaIsUsedEvenAfterARestart() throws Exception {
    Repo repo = repo(null);
    put(repo, SIGNUP, schema(SIGNUP, "email"));
    ResolverConfig config = config(1, new Object[] {"partners", 0, List.of(), repo.uri()});
    IgluResolver running = new IgluResolver(config, dir.resolve("cache"), Duration.ofSeconds(2));
    assertThat(running.resolve(SIGNUP)).isInstanceOf(IgluResolver.Lookup.Found.class);

    // The repository changes the schema: after the TTL the running resolver answers with what it knows
    // while it fetches again, then with the new one.
    put(repo, SIGNUP, schema(SIGNUP, "phone"));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!running.resolve(SIGNUP).toString().contains("phone")) {
      assertThat(System.nanoTime()).as("the refreshed schema within 20 s").isLessThan(deadline);
      Thread.sleep(100); // polling a condition, with a deadline
    }

    repo.server().stop(0);
    // A refresh that fails keeps the known schema.
    long afterTtl = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < afterTtl) {
      assertThat(running.resolve(SIGNUP).toString()).contains("phone");
      Thread.sleep(100);
    }
    // A new process (empty memory) with every repository down: the disk cache, saying why.
    IgluResolver restarted = new IgluResolver(config, dir.resolve("cache"), Duration.ofSeconds(2));
    assertThat(restarted.resolve(SIGNUP)).isInstanceOfSatisfying(IgluResolver.Lookup.Found.class, f -> {
      assertThat(f.schema().toString()).contains("phone");
      assertThat(f.source()).startsWith("the disk cache (partners: unreachable");
    });
    assertThat(restarted.resolve(new SchemaKey("com.partner", "never", "jsonschema", "1-0-0")))
        .isInstanceOfSatisfying(IgluResolver.Lookup.Missing.class, m -> assertThat(m.reason()).startsWith("partners: unreachable"));
  }

  @Test
  void aRepositoryThatNeverAnswersCostsOneTimeoutNotAHang() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) { // accepts connections (backlog), never answers
      IgluResolver resolver = new IgluResolver(config(null, new Object[] {"silent", 0, List.of(),
          "http://127.0.0.1:" + silent.getLocalPort()}), dir.resolve("cache"), Duration.ofMillis(500));
      IgluResolver.Lookup lookup = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> resolver.resolve(SIGNUP));
      assertThat(lookup).isInstanceOfSatisfying(IgluResolver.Lookup.Missing.class,
          m -> assertThat(m.reason()).startsWith("silent: unreachable (HttpTimeoutException"));
    }
  }

  @Test
  void aResolverFileThatIsNotOneSaysWhichFieldIsWrong() throws Exception {
    Path file = dir.resolve("resolver.json");
    for (Map.Entry<String, String> bad : Map.of(
        "{\"schema\":\"iglu:com.acme/x/jsonschema/1-0-0\",\"data\":{}}", "schema must be",
        "{\"schema\":\"iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-1\",\"data\":{\"repositories\":[]}}",
        "data.cacheSize must be",
        "{\"schema\":\"iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-1\",\"data\":{\"cacheSize\":5,"
            + "\"repositories\":[{\"name\":\"r\",\"connection\":{\"http\":{\"uri\":\"ftp://x\"}}}]}}",
        "data.repositories[0].connection.http.uri must be an http or https URI",
        "{not json", "is not readable JSON").entrySet()) {
      Files.writeString(file, bad.getKey());
      assertThatThrownBy(() -> ResolverConfig.read(file)).isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining(file.toString()).hasMessageContaining(bad.getValue());
    }
  }
}
