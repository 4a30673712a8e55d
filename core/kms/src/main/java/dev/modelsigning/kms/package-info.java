/**
 * Signing keys that never leave Google Cloud KMS or AWS KMS. The API is {@link
 * dev.modelsigning.kms.KmsSigners} (opens a key by the shape of its name and builds the key or
 * certificate signer over it) and the two {@link dev.modelsigning.core.signing.SigningKey}s it
 * returns, {@link dev.modelsigning.kms.GcpKmsSigningKey} and {@link
 * dev.modelsigning.kms.AwsKmsSigningKey}; {@link dev.modelsigning.kms.AwsKmsKeyRef} parses an AWS
 * key reference. Credentials are always the worker's own (application default credentials, the AWS
 * default chain); nothing here takes a secret as a value.
 */
@NullMarked
package dev.modelsigning.kms;

import org.jspecify.annotations.NullMarked;
