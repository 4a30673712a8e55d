package dev.modelsigning.pipeline.options;

/** Options of the digest job: hash a model and report its subject digest; nothing is signed. */
public interface DigestModelOptions extends ModelOptions, HashingOptions, JobOptions {}
