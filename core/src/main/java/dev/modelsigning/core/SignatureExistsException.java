package dev.modelsigning.core;

/** The signature file is already there and the user did not ask to replace it. */
public class SignatureExistsException extends InvalidInputException {
  public SignatureExistsException(String location) {
    super("signature '" + location + "' already exists; pass --overwrite=true to replace it");
  }
}
