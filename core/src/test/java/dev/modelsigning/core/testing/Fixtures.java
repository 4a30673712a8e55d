package dev.modelsigning.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The model fixtures of model_signing's {@code tests/conftest.py}, byte for byte (interop README
 * §2). Each builder returns the model path (a file or a directory) below {@code base}.
 */
public final class Fixtures {
  private Fixtures() {}

  public static final List<String> NAMES =
      List.of(
          "sample_model_file",
          "empty_model_file",
          "sample_model_folder",
          "deep_model_folder",
          "empty_model_folder",
          "model_folder_with_empty_file",
          "symlink_model_folder");

  /** Fixtures whose shards serialization has no resources at all. */
  public static boolean emptyInShards(String name) {
    return name.equals("empty_model_file")
        || name.equals("empty_model_folder")
        || name.equals("model_folder_with_empty_file");
  }

  public static Path build(String name, Path base) {
    try {
      return switch (name) {
        case "sample_model_file" -> write(base.resolve("file_model"), "This is a simple model");
        case "empty_model_file" -> write(base.resolve("empty_file_model"), "");
        case "sample_model_folder" -> sampleFolder(base.resolve("sample_model"));
        case "deep_model_folder" -> deepFolder(base.resolve("deep_model"));
        case "empty_model_folder" -> Files.createDirectories(base.resolve("empty_folder_model"));
        case "model_folder_with_empty_file" -> {
          Path dir = Files.createDirectories(base.resolve("empty_file_inside_model"));
          write(dir.resolve("empty_file"), "");
          yield dir;
        }
        case "symlink_model_folder" -> {
          Path external = write(base.resolve("external_file"), "This is a simple model");
          Path dir = Files.createDirectories(base.resolve("symlink_model"));
          Files.createSymbolicLink(dir.resolve("symlink_file"), external.toAbsolutePath());
          yield dir;
        }
        default -> throw new IllegalArgumentException("unknown fixture " + name);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path sampleFolder(Path dir) throws IOException {
    for (int i = 0; i < 2; i++) {
      Path d = Files.createDirectories(dir.resolve("d" + i));
      for (int j = 0; j < 3; j++) {
        write(d.resolve("f" + i + j), "This is file f" + i + j + " in d" + i + ".");
      }
    }
    for (int i = 0; i < 4; i++) {
      write(dir.resolve("f" + i), "This is file f" + i + " in root.");
    }
    return dir;
  }

  private static Path deepFolder(Path dir) throws IOException {
    Path deep = Files.createDirectories(dir.resolve("d0/d1/d2/d3/d4"));
    for (int i = 0; i < 4; i++) {
      write(deep.resolve("f" + i), "This is file f" + i + ".");
    }
    return dir;
  }

  public static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.write(file, content.getBytes(StandardCharsets.UTF_8));
  }
}
