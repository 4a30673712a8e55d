package dev.modelsigning.pipeline.options;

/** Options of the single-model verification job. */
public interface VerifyModelOptions extends ModelOptions, VerifierOptions, JobOptions {}
