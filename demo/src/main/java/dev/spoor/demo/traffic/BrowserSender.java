package dev.spoor.demo.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spoor.demo.shop.PlannedEvent;
import dev.spoor.demo.shop.UserTruth;
import dev.spoor.demo.shop.Visit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Sends users' visits through spoor.js, the browser tracker, in headless Chromium: writes the visits
 * to a file and runs {@code ingest/tracker-js/demo/replay.mjs} on it with Node (each user a browser
 * context of their own, each visit a page load, each event tracked with the time it happened). The ids
 * spoor.js gave the events are the accepted ids: the collector answers no other for this client.
 * {@code work}: a directory for the visits file, the ids and the browser's log.
 */
public record BrowserSender(Path home, Path work, String collectorUrl, String writeKey) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REPLAY = "ingest/tracker-js/demo/replay.mjs";

  /** The browser: {@code SPOOR_CHROMIUM}, else Debian's chromium. */
  static Path chromium() {
    return Path.of(System.getenv().getOrDefault("SPOOR_CHROMIUM", "/usr/bin/chromium"));
  }

  /** Why spoor.js cannot run in a browser here, if it cannot: no Chromium, no Node, or spoor.js not built. */
  public static Optional<String> unavailable(Path home) {
    Path trackerJs = home.resolve("ingest/tracker-js");
    if (!Files.isExecutable(chromium())) {
      return Optional.of("no Chromium at " + chromium() + " (apt-get install chromium, or set SPOOR_CHROMIUM)");
    }
    if (!Files.isRegularFile(trackerJs.resolve("dist/spoor.min.js"))
        || !Files.isDirectory(trackerJs.resolve("node_modules/playwright-core"))) {
      return Optional.of("spoor.js is not built (mvn -B -DskipTests package builds it with npm)");
    }
    return onPath("node") ? Optional.empty() : Optional.of("no node on PATH");
  }

  private static boolean onPath(String program) {
    return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
  }

  /** Sends every visit of {@code users}; the events' ids and counts go to {@code delivery}. */
  public void send(List<UserTruth> users, Delivery delivery) throws IOException, InterruptedException {
    ObjectNode input = JSON.createObjectNode().put("collector", collectorUrl).put("writeKey", writeKey).put("appId", "shop");
    input.set("layouts", JSON.valueToTree(CompactBatchSender.LAYOUTS));
    ArrayNode array = input.putArray("users");
    for (UserTruth user : users) {
      ArrayNode visits = array.addObject().put("user", user.user()).putArray("visits");
      for (Visit visit : user.visits()) {
        ArrayNode events = visits.addArray();
        for (PlannedEvent event : visit.events()) {
          events.addObject().put("name", event.name()).put("at", event.at().toEpochMilli())
              .set("properties", JSON.valueToTree(event.properties()));
        }
      }
    }
    Files.createDirectories(work);
    Path visitsFile = work.resolve("browser-visits.json");
    Path idsFile = work.resolve("browser-ids.json");
    Path log = work.resolve("browser.log");
    JSON.writeValue(visitsFile.toFile(), input);
    Process node = new ProcessBuilder("node", home.resolve(REPLAY).toString(), visitsFile.toString())
        .directory(home.toFile()).redirectOutput(idsFile.toFile()).redirectError(log.toFile()).start();
    if (!node.waitFor(10, TimeUnit.MINUTES)) {
      node.destroyForcibly().waitFor();
      throw new IOException("spoor.js in Chromium did not finish in 10 min (log: " + log + ")");
    }
    if (node.exitValue() != 0) {
      throw new IOException("spoor.js in Chromium failed (exit " + node.exitValue() + "): "
          + Files.readString(log, StandardCharsets.UTF_8).strip());
    }
    JsonNode answer = JSON.readTree(idsFile.toFile());
    for (UserTruth user : users) {
      List<String> ids = new ArrayList<>();
      answer.path("ids").path(user.user()).forEach(id -> ids.add(id.asText(null)));
      if (ids.size() != user.events() || ids.contains(null)) {
        throw new IOException("spoor.js recorded " + ids + " for the " + user.events() + " events of " + user.user());
      }
      delivery.acceptedIds.addAll(ids);
      delivery.events += ids.size();
    }
    delivery.requests += answer.path("requests").asInt();
  }
}
