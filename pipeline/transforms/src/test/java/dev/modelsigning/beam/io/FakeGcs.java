package dev.modelsigning.beam.io;

import com.google.cloud.storage.Storage;

/**
 * The {@link GcsClients.StorageFactory} of this module's test classpath (registered in
 * src/test/resources/META-INF/services), so that code reaching GCS through the pipeline's entry
 * points (SignatureStore, ModelLister, UnitHasher) talks to the in-process fake a test installed.
 * With none installed it fails rather than reach the real GCS. Tests calling the Gcs* classes
 * directly pass their fake as a parameter instead.
 */
public final class FakeGcs implements GcsClients.StorageFactory {
  private static volatile Storage installed;

  /** Used by the tests that follow, until {@link #remove()}. */
  public static void install(Storage storage) {
    installed = storage;
  }

  public static void remove() {
    installed = null;
  }

  @Override
  public Storage storage() {
    Storage s = installed;
    if (s == null) {
      throw new IllegalStateException(
          "a test reached GCS without an in-process fake: call FakeGcs.install first");
    }
    return s;
  }
}
