/**
 * Loopback stand-ins for tests (shipped in core's test-jar): {@link
 * dev.modelsigning.core.testing.OidcTestIssuer} (mock-oauth2-server on 127.0.0.1), {@link
 * dev.modelsigning.core.testing.LoopbackSigstore} (Fulcio-like CA with embedded SCTs, Rekor-v1-like
 * {@code dsse} log with Merkle proofs and checkpoints, RFC 3161 TSA, plus trusted_root.json and
 * signing_config.json) and {@link dev.modelsigning.core.testing.GcpMetadataServerStub}. Everything
 * binds to 127.0.0.1 on ephemeral ports; nothing leaves the machine.
 *
 * <p>A module that uses the test-jar must also declare {@code no.nav.security:mock-oauth2-server}
 * (test scope) and pin {@code com.fasterxml.jackson.core:jackson-annotations} to 2.21 or later in
 * its test classpath: mock-oauth2-server runs on Jackson 3, which needs newer annotations.
 */
package dev.modelsigning.core.testing;
