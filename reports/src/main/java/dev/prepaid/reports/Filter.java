package dev.prepaid.reports;

/**
 * Which merchant or terminal a report is about; null for every one. A terminal filter with a merchant filter must name
 * one of that merchant's terminals (a report of another merchant's terminal is empty).
 */
public record Filter(String merchant, String terminal) {
    public static final Filter ALL = new Filter(null, null);

    public Filter {
        if (merchant != null && !merchant.matches("[ -~]{1,15}")) {
            throw new ReportException("merchant", "merchant is a merchant id (up to 15 printable characters), got '"
                    + merchant + "'");
        }
        if (terminal != null && !terminal.matches("[ -~]{1,8}")) {
            throw new ReportException("terminal", "terminal is a terminal id (up to 8 printable characters), got '"
                    + terminal + "'");
        }
    }

    public boolean none() {
        return merchant == null && terminal == null;
    }

    @Override
    public String toString() {
        if (none()) {
            return "all merchants";
        }
        return (merchant != null ? "merchant " + merchant : "") + (merchant != null && terminal != null ? ", " : "")
                + (terminal != null ? "terminal " + terminal : "");
    }
}
