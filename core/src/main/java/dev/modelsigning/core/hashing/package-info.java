/**
 * Content hashing. {@link HashAlgorithm} names the hashes a statement may record ({@code sha256},
 * {@code blake2b}, {@code blake3}), as they appear in the statement, and makes their digesters;
 * {@link RangeHasher} hashes an exact number of bytes from a channel through one bounded, reused
 * buffer (memory does not grow with the file) and refuses a channel that ends early, which means
 * the file changed after it was listed. Both engines hash every unit through {@code RangeHasher}.
 *
 * <p>API: {@link HashAlgorithm}, {@link RangeHasher}, and {@link Digester}, the incremental
 * interface {@link HashAlgorithm#newDigester} returns. Its implementations ({@code JdkDigester},
 * {@code BouncyCastleDigester}) are package-private.
 */
@NullMarked
package dev.modelsigning.core.hashing;

import org.jspecify.annotations.NullMarked;
