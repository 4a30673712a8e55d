package dev.modelsigning.core.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.ModelSigningException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnchangedModelTest {
  @Test
  void theSameListingPasses() {
    UnchangedModel.require(Map.of("a", 1L, "b", 2L), Map.of("b", 2L, "a", 1L));
  }

  @Test
  void everyChangeIsNamedInOneMessage() {
    ModelSigningException e =
        assertThrows(
            ModelSigningException.class,
            () ->
                UnchangedModel.require(
                    Map.of("kept", 1L, "gone", 2L, "grown", 3L),
                    Map.of("kept", 1L, "grown", 4L, "new", 5L)));
    String message = e.getMessage();
    assertTrue(
        message.contains("'grown' was modified")
            && message.contains("'new' appeared")
            && message.contains("'gone' disappeared")
            && !message.contains("'kept'")
            && message.endsWith("nothing was signed"),
        message);
  }
}
