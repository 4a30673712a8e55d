/**
 * Which files make up a model, by the format's rules: the root plus a recursive walk that includes
 * dotfiles and does not descend into symlinked directories; ignored paths dropped first (component
 * prefixes relative to the root; {@code .git}, {@code .gitattributes}, {@code .github}, {@code
 * .gitignore} at the top level, and the signature when it lies inside the model), then symlinks
 * refused unless allowed, then anything that is not a regular file refused by name. Names are POSIX
 * relative paths, {@code "."} for a single-file model, and must be valid UTF-8.
 *
 * <p>API: {@link LocalModelLister#list} walks a local model into {@link ListedEntry}s; {@link
 * ListingPolicy} (built from {@link IgnorePaths} and the symlink choice) turns any listing, local
 * or from an object store, into the {@link ModelFile}s to hash. {@link ResourceNames} holds the
 * ordering (path components by Unicode code point) and safety rules for resource names that signing
 * and verification share; it is public for the other core packages. {@link UnchangedModel} is the
 * one rule both engines apply before signing: two listings of the model, taken before and after
 * hashing, must match, or nothing is signed and every changed file is named. {@code LocalFileNames}
 * is package-private.
 */
@NullMarked
package dev.modelsigning.core.model;

import org.jspecify.annotations.NullMarked;
