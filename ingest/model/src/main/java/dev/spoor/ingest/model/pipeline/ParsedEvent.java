package dev.spoor.ingest.model.pipeline;

import dev.spoor.ingest.model.event.BadRow;

/** What a protocol parser made of one event: a {@link RawEvent} to process, or a bad row. */
public sealed interface ParsedEvent permits ParsedEvent.Ok, ParsedEvent.Rejected {
  record Ok(RawEvent event) implements ParsedEvent {}

  record Rejected(BadRow badRow) implements ParsedEvent {}
}
