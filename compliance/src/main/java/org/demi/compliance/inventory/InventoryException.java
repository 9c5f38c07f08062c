package org.demi.compliance.inventory;

/** An inventory that cannot be accepted; the message says what was wrong with it. */
public class InventoryException extends Exception {
    public InventoryException(String message) {
        super(message);
    }

    public InventoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
