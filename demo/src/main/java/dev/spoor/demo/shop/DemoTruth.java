package dev.spoor.demo.shop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Everything a demo run knows to be true, written to {@code var/demo/truth.json} so that
 * {@code bin/spoor verify} can check the pipeline's outputs against it later: the users and their
 * visits, the ids of the events the collector accepted, what was rejected on purpose (invalid events,
 * corrupt requests), when sending started and ended, the as-of day of the batch run, and the events of
 * the live tail the speed layer saw.
 */
public record DemoTruth(String prefix, Instant startedAt, Instant sentAt, LocalDate asOf, List<UserTruth> users,
    List<String> acceptedIds, int requests, int events, int redelivered, int invalidEvents, int corruptRequests,
    List<TailEvent> tail) {
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** One cart of the live tail: sent after the batch view was published, decided by the speed layer. */
  public record TailEvent(String user, String eventId, double price) {}

  public DemoTruth {
    users = List.copyOf(users);
    acceptedIds = List.copyOf(acceptedIds);
    tail = List.copyOf(tail);
  }

  public DemoTruth withTail(List<TailEvent> events) {
    return new DemoTruth(prefix, startedAt, sentAt, asOf, users, acceptedIds, requests, events(), redelivered,
        invalidEvents, corruptRequests, events);
  }

  public void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public static DemoTruth read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), DemoTruth.class);
  }
}
