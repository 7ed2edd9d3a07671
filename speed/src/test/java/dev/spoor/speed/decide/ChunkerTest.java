package dev.spoor.speed.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  @Test
  void aMicroBatchIsTakenInChunksUpToTheirSize() {
    Chunker<Integer> chunker = new Chunker<>(3);
    Iterator<Integer> input = List.of(1, 2, 3, 4, 5, 6, 7).iterator();
    assertThat(chunker.next(input)).containsExactly(1, 2, 3);
    assertThat(chunker.next(input)).containsExactly(4, 5, 6);
    assertThat(chunker.next(input)).containsExactly(7);
    assertThat(chunker.next(input)).isEmpty();
  }
}
