package io.morpho.inference.model;

/** A model file that does not satisfy the morpho model contract; it is refused. */
public class ModelContractException extends RuntimeException {
    public ModelContractException(String message) {
        super(message);
    }

    public ModelContractException(String message, Throwable cause) {
        super(message, cause);
    }
}
