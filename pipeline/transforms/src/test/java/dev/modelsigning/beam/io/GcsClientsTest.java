package dev.modelsigning.beam.io;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client the pipeline's entry points use comes from the registered StorageFactory. */
class GcsClientsTest {
  @AfterEach
  void restore() {
    FakeGcs.remove();
  }

  @Test
  void entryPointsUseTheRegisteredFactorysClient() {
    Storage fake = LocalStorageHelper.getOptions().getService();
    FakeGcs.install(fake);
    assertSame(fake, GcsClients.storage());
  }

  /** This test classpath's factory never falls back to the real GCS. */
  @Test
  void withoutAFakeTheTestFactoryRefusesToReachGcs() {
    assertThrows(IllegalStateException.class, GcsClients::storage);
  }
}
