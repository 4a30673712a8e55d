package dev.modelsigning.core.format;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.testing.Interop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A bounded, seeded, structure-aware mutation loop over the real interop bundles (every
 * model_signing release in {@code interop/} and the OMS v1.0 vectors): byte-level mutations of the
 * bundle, JSON-tree mutations of the bundle, and JSON-tree mutations of the statement re-encoded
 * into the bundle (so the statement parser is reached, not just the bundle parser). Parsing may
 * only throw {@link ModelSigningException}. Runs in every build for {@code -Dfuzz.seconds} (default
 * 10); a failure prints the seed and the input to reproduce it.
 */
class ParserMutationTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Parses as a bundle (and its statement) and as a statement; only our exceptions may escape. */
  static void parseBoth(byte[] data) {
    try {
      SigstoreBundle b = BundleReader.read(data);
      StatementReader.read(b.envelope().payload());
    } catch (ModelSigningException expected) {
      // fail closed, with a message
    }
    try {
      StatementReader.read(data);
    } catch (ModelSigningException expected) {
      // fail closed, with a message
    }
  }

  static List<byte[]> corpus() throws IOException {
    List<byte[]> out = new ArrayList<>();
    List<Path> roots =
        List.of(Interop.modelTransparency().resolve("scripts/tests"), Interop.omsVectors());
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(root)) {
        for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
          String n = p.getFileName().toString();
          if (n.equals("model.sig") || n.endsWith(".bundle.json")) {
            out.add(Files.readAllBytes(p));
          }
        }
      }
    }
    return out;
  }

  @Test
  void mutatedBundlesAndStatementsFailOnlyWithModelSigningException() throws Exception {
    List<byte[]> corpus = corpus();
    assertTrue(corpus.size() >= 10, "interop corpus found: " + corpus.size());
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    long budgetNanos = (long) (Double.parseDouble(System.getProperty("fuzz.seconds", "10")) * 1e9);
    Random rnd = new Random(seed);
    long end = System.nanoTime() + budgetNanos;
    int runs = 0;
    while (System.nanoTime() < end) {
      byte[] base = corpus.get(rnd.nextInt(corpus.size()));
      byte[] input;
      try {
        input = mutate(base, rnd);
      } catch (RuntimeException | IOException e) {
        continue; // a seed the mutator itself cannot handle (e.g. empty file)
      }
      try {
        parseBoth(input);
      } catch (Throwable t) {
        fail(
            "seed "
                + seed
                + " run "
                + runs
                + ": "
                + t
                + " on input:\n"
                + new String(input, 0, Math.min(input.length, 4000), StandardCharsets.UTF_8),
            t);
      }
      runs++;
    }
    System.out.println("ParserMutationTest: " + runs + " inputs, seed " + seed);
    assertTrue(runs > 100, "too few runs: " + runs);
  }

  private static byte[] mutate(byte[] base, Random rnd) throws IOException {
    return switch (rnd.nextInt(3)) {
      case 0 -> bytes(base, rnd);
      case 1 ->
          Json.MAPPER.writeValueAsBytes(tree(Json.MAPPER.readTree(base), rnd, 1 + rnd.nextInt(3)));
      default -> statementInside(base, rnd);
    };
  }

  /** Byte-level: flips, inserts, deletes, duplicates, truncations, interesting tokens. */
  private static byte[] bytes(byte[] in, Random rnd) {
    byte[] b = in.clone();
    int n = 1 + rnd.nextInt(4);
    for (int k = 0; k < n && b.length > 0; k++) {
      int at = rnd.nextInt(b.length);
      switch (rnd.nextInt(6)) {
        case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
        case 1 -> b[at] = (byte) rnd.nextInt(256);
        case 2 -> b = java.util.Arrays.copyOf(b, at);
        case 3 -> {
          int len = Math.min(b.length - at, 1 + rnd.nextInt(64));
          byte[] out = new byte[b.length + len];
          System.arraycopy(b, 0, out, 0, at + len);
          System.arraycopy(b, at, out, at + len, b.length - at);
          b = out;
        }
        case 4 -> {
          String[] tokens = {
            "{", "}", "[", "]", "\"", ",", ":", "null", "1e999", "-0", "\\u0000", "\"a\":1", "true",
            "\\ud800", "=", "%"
          };
          byte[] t = tokens[rnd.nextInt(tokens.length)].getBytes(StandardCharsets.UTF_8);
          byte[] out = new byte[b.length + t.length];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(t, 0, out, at, t.length);
          System.arraycopy(b, at, out, at + t.length, b.length - at);
          b = out;
        }
        default -> {
          int len = Math.min(b.length - at, 1 + rnd.nextInt(32));
          byte[] out = new byte[b.length - len];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(b, at + len, out, at, b.length - at - len);
          b = out;
        }
      }
    }
    return b;
  }

  /** Decodes the DSSE payload, mutates the statement's tree, and puts it back. */
  private static byte[] statementInside(byte[] bundle, Random rnd) throws IOException {
    ObjectNode root = (ObjectNode) Json.MAPPER.readTree(bundle);
    ObjectNode env = (ObjectNode) root.get("dsseEnvelope");
    byte[] payload = Base64.getDecoder().decode(env.get("payload").textValue());
    JsonNode st = Json.MAPPER.readTree(payload);
    byte[] mutated =
        rnd.nextInt(4) == 0
            ? bytes(payload, rnd)
            : Json.MAPPER.writeValueAsBytes(tree(st, rnd, 1 + rnd.nextInt(3)));
    env.put("payload", Base64.getEncoder().encodeToString(mutated));
    return Json.MAPPER.writeValueAsBytes(root);
  }

  /** Tree-level: replace a random node with a value of another type, drop or duplicate fields. */
  private static JsonNode tree(JsonNode node, Random rnd, int edits) {
    JsonNode root = node.deepCopy();
    for (int i = 0; i < edits; i++) {
      List<JsonNode> containers = new ArrayList<>();
      collect(root, containers);
      if (containers.isEmpty()) {
        return randomValue(rnd, 0);
      }
      JsonNode c = containers.get(rnd.nextInt(containers.size()));
      if (c instanceof ObjectNode o && o.size() > 0) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        String name = names.get(rnd.nextInt(names.size()));
        switch (rnd.nextInt(4)) {
          case 0 -> o.remove(name);
          case 1 -> o.set(name, randomValue(rnd, 0));
          case 2 -> o.set(name + (rnd.nextBoolean() ? "" : "x"), o.get(name).deepCopy());
          default -> o.set(name, mutateScalar(o.get(name), rnd));
        }
      } else if (c instanceof ArrayNode a) {
        switch (rnd.nextInt(4)) {
          case 0 -> {
            if (a.size() > 0) {
              a.remove(rnd.nextInt(a.size()));
            }
          }
          case 1 -> {
            if (a.size() > 0) {
              a.add(a.get(rnd.nextInt(a.size())).deepCopy());
            }
          }
          case 2 -> a.add(randomValue(rnd, 0));
          default -> {
            if (a.size() > 0) {
              int k = rnd.nextInt(a.size());
              a.set(k, mutateScalar(a.get(k), rnd));
            }
          }
        }
      }
    }
    return root;
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        collect(it.next(), out);
      }
    }
  }

  private static JsonNode mutateScalar(JsonNode n, Random rnd) {
    if (n.isTextual()) {
      String s = n.textValue();
      String[] edits = {
        "",
        "../" + s,
        "/" + s,
        s + "/",
        s.toUpperCase(),
        s + "\u0000",
        s + s,
        s.isEmpty() ? "=" : s.substring(0, rnd.nextInt(s.length())),
        "e\u0301",
        "\ud800"
      };
      return F.textNode(edits[rnd.nextInt(edits.length)]);
    }
    return randomValue(rnd, 0);
  }

  private static JsonNode randomValue(Random rnd, int depth) {
    return switch (rnd.nextInt(depth > 2 ? 6 : 8)) {
      case 0 -> F.nullNode();
      case 1 -> F.booleanNode(rnd.nextBoolean());
      case 2 -> F.numberNode(rnd.nextLong());
      case 3 -> F.numberNode(rnd.nextDouble() * 1e300);
      case 4 -> F.textNode("A".repeat(rnd.nextInt(5)));
      case 5 -> F.textNode(Base64.getEncoder().encodeToString(new byte[rnd.nextInt(70)]));
      case 6 -> {
        ArrayNode a = F.arrayNode();
        for (int i = rnd.nextInt(3); i > 0; i--) {
          a.add(randomValue(rnd, depth + 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = F.objectNode();
        for (int i = rnd.nextInt(3); i > 0; i--) {
          o.set("k" + i, randomValue(rnd, depth + 1));
        }
        yield o;
      }
    };
  }
}
