package dev.prepaid.admin;

/**
 * A reply body that is a file, not JSON: sent as it is with its content type and, as an attachment, its file name
 * (a report as CSV, XLSX or HTML).
 */
public record Download(String contentType, String fileName, byte[] bytes) {
    public Download {
        if (!fileName.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a download's file name is letters, digits, '.', '_' and '-': " + fileName);
        }
    }
}
