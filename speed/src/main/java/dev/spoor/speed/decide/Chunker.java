package dev.spoor.speed.decide;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Takes a task's input in chunks of at most {@code size}; a chunk also ends right after an element
 * {@code endsChunk} accepts, without asking the input for more: in a long-running task, asking is
 * waiting for events that have not arrived yet.
 */
final class Chunker<T> {
  private final int size;
  private final Predicate<T> endsChunk;

  Chunker(int size, Predicate<T> endsChunk) {
    this.size = size;
    this.endsChunk = endsChunk;
  }

  /** The next chunk: empty only when the input is. */
  List<T> next(Iterator<T> input) {
    List<T> chunk = new ArrayList<>(Math.min(size, 1024));
    while (chunk.size() < size && input.hasNext()) {
      T element = input.next();
      chunk.add(element);
      if (endsChunk.test(element)) {
        break;
      }
    }
    return chunk;
  }
}
