package dev.modelsigning.pipeline;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/** Fresh EC keys written as PEM files, for tests that need a key nobody else has. */
public final class TestPems {
  private TestPems() {}

  /** Paths of a generated key pair. */
  public record KeyFiles(Path privateKey, Path publicKey) {}

  public static KeyPair newEcKey(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path newEcPublicKeyPem(Path dir, String curve) {
    return write(
        dir.resolve("other-pub-" + System.nanoTime() + ".pem"), newEcKey(curve).getPublic());
  }

  /** A P-256 key in encrypted PKCS#8 (AES-256-CBC) and its public key. */
  public static KeyFiles newEncryptedKey(Path dir, String password) {
    KeyPair kp = newEcKey("secp256r1");
    try {
      var encryptor =
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
              .setPassword(password.toCharArray())
              .build();
      Path priv =
          write(
              dir.resolve("encrypted-key.pem"),
              new JcaPKCS8Generator(kp.getPrivate(), encryptor).generate());
      Path pub = write(dir.resolve("encrypted-key.pub.pem"), kp.getPublic());
      return new KeyFiles(priv, pub);
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path write(Path file, Object pemObject) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(text)) {
      w.writeObject(pemObject);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return Files.writeString(file, text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
