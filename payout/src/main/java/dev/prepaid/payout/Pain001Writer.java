package dev.prepaid.payout;

import dev.prepaid.money.Money;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A payout batch as an ISO 20022 {@code pain.001.001.03} customer credit transfer initiation (domain-rules §6):
 * one {@code PmtInf} with the custody account as debtor, one {@code CdtTrfTxInf} per merchant. The schema does not
 * check that {@code NbOfTxs} and {@code CtrlSum} (of the group header and of the payment) equal the transfers, so
 * the writer computes them from the lines and then reads its own document back and checks them, and every
 * transfer, before the bytes are handed out.
 *
 * <p>The XML is written by hand, not by a serialiser, so the same batch gives the same bytes on every JDK: UTF-8,
 * {@code \n} line ends, two-space indentation, {@code &}, {@code <} and {@code >} escaped in text. Amounts are
 * fen written as yuan with exactly two decimals by integer arithmetic ({@link Money#format}).
 */
public final class Pain001Writer {
    public static final String NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03";
    /** pain.001's code of China's clearing system for a bank's {@code ClrSysMmbId}. */
    static final String CNAPS = "CNAPS";
    private static final DateTimeFormatter CREATION_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    private Pain001Writer() {
    }

    /** {@code payout-<yyyymmdd>-<batch id>.pain001.xml}. */
    public static String fileName(final PayoutBatch batch) {
        return "payout-" + batch.compactDate() + "-" + batch.batchId() + ".pain001.xml";
    }

    /**
     * {@code PAYOUT-<yyyymmdd>-<batch id>} (at most 35 characters): the message's and the payment's id. The same
     * batch keeps the same id when its file is made again, so the bank sees a repeat, not a second payment.
     */
    public static String messageId(final PayoutBatch batch) {
        return "PAYOUT-" + batch.compactDate() + "-" + batch.batchId();
    }

    /** The batch's pain.001 document, checked against the batch. */
    public static PayoutFile write(final PayoutBatch batch) {
        final byte[] xml = render(batch).getBytes(StandardCharsets.UTF_8);
        verify(batch, xml);
        return new PayoutFile(fileName(batch), xml);
    }

    static String render(final PayoutBatch batch) {
        final String count = Integer.toString(batch.count());
        final String total = Money.format(batch.totalFen());
        final Debtor debtor = batch.debtor();
        final Xml x = new Xml();
        x.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.open("Document xmlns=\"" + NAMESPACE + "\"", "Document").open("CstmrCdtTrfInitn");
        x.open("GrpHdr")
                .text("MsgId", messageId(batch))
                .text("CreDtTm", CREATION_TIME.format(batch.createdAt().truncatedTo(ChronoUnit.SECONDS)))
                .text("NbOfTxs", count)
                .text("CtrlSum", total)
                .open("InitgPty").text("Nm", debtor.name()).close()
                .close();
        x.open("PmtInf")
                .text("PmtInfId", messageId(batch))
                .text("PmtMtd", "TRF")
                // Booked one by one: each merchant's payout is its own entry, paid or failed on its own, as the
                // bank's result file reports it line by line.
                .text("BtchBookg", "false")
                .text("NbOfTxs", count)
                .text("CtrlSum", total)
                .text("ReqdExctnDt", batch.businessDate().toString())
                .open("Dbtr").text("Nm", debtor.name()).close();
        account(x, "DbtrAcct", debtor.account(), true);
        x.open("DbtrAgt").open("FinInstnId");
        if (debtor.bic() != null) {
            x.text("BIC", debtor.bic());
        }
        if (debtor.cnapsCode() != null) {
            clearingMember(x, debtor.cnapsCode());
        }
        x.text("Nm", debtor.bankName()).close().close();
        for (final PayoutLine line : batch.lines()) {
            x.open("CdtTrfTxInf")
                    .open("PmtId").text("EndToEndId", line.endToEndId()).close()
                    .open("Amt").amount("InstdAmt", line.amountFen()).close()
                    .open("CdtrAgt").open("FinInstnId");
            clearingMember(x, line.cnapsCode());
            x.text("Nm", line.bankName()).close().close()
                    .open("Cdtr").text("Nm", line.payeeName()).close();
            account(x, "CdtrAcct", line.account(), false);
            x.open("RmtInf").text("Ustrd", line.purpose()).close()
                    .close();
        }
        x.close().close().close();
        return x.out.toString();
    }

    private static void account(final Xml x, final String element, final String number, final boolean withCurrency) {
        x.open(element).open("Id").open("Othr").text("Id", number).close().close();
        if (withCurrency) {
            x.text("Ccy", PayoutBatch.CURRENCY);
        }
        x.close();
    }

    private static void clearingMember(final Xml x, final String cnapsCode) {
        x.open("ClrSysMmbId").open("ClrSysId").text("Cd", CNAPS).close().text("MmbId", cnapsCode).close();
    }

    // ================================================================== the check before the bytes leave

    /**
     * Reads the document back and checks it says exactly the batch: both counts and both control sums equal the
     * transfers, and each transfer is its line (id, amount, payee, account, bank, text), in order. A failure here
     * is a fault of this writer, never of the input.
     */
    static void verify(final PayoutBatch batch, final byte[] xml) {
        final Element root = parse(xml);
        final Element header = only(root, "GrpHdr");
        final Element payment = only(root, "PmtInf");
        final List<PayoutLine> lines = batch.lines();
        final NodeList transfers = payment.getElementsByTagNameNS(NAMESPACE, "CdtTrfTxInf");
        long sum = 0;
        for (int i = 0; i < transfers.getLength(); i++) {
            final Element transfer = (Element) transfers.item(i);
            final long amount = Money.parse(text(transfer, "InstdAmt"));
            sum = Math.addExact(sum, amount);
            if (i < lines.size()) {
                final PayoutLine line = lines.get(i);
                check(text(transfer, "EndToEndId").equals(line.endToEndId()) && amount == line.amountFen()
                        && text(only(transfer, "Cdtr"), "Nm").equals(line.payeeName())
                        && text(only(only(transfer, "CdtrAcct"), "Othr"), "Id").equals(line.account())
                        && text(only(transfer, "CdtrAgt"), "MmbId").equals(line.cnapsCode())
                        && text(only(transfer, "CdtrAgt"), "Nm").equals(line.bankName())
                        && text(transfer, "Ustrd").equals(line.purpose()),
                        "transfer " + (i + 1) + " is not line " + (i + 1) + " of batch " + batch.batchId());
            }
        }
        check(text(only(payment, "Dbtr"), "Nm").equals(batch.debtor().name())
                && text(only(only(payment, "DbtrAcct"), "Othr"), "Id").equals(batch.debtor().account()),
                "the debtor is not the batch's custody account");
        check(transfers.getLength() == lines.size(), transfers.getLength() + " transfers for " + lines.size() + " lines");
        check(sum == batch.totalFen(), "transfers sum to " + Money.format(sum) + ", the lines to "
                + Money.format(batch.totalFen()));
        for (final Element totals : new Element[] {header, payment}) {
            final String where = totals.getLocalName();
            check(text(totals, "NbOfTxs").equals(Integer.toString(transfers.getLength())),
                    where + " NbOfTxs " + text(totals, "NbOfTxs") + " but " + transfers.getLength() + " transfers");
            check(Money.parse(text(totals, "CtrlSum")) == sum,
                    where + " CtrlSum " + text(totals, "CtrlSum") + " but the transfers sum to " + Money.format(sum));
        }
    }

    private static Element parse(final byte[] xml) {
        try {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            final DocumentBuilder builder = factory.newDocumentBuilder();
            final Document document = builder.parse(new ByteArrayInputStream(xml));
            return document.getDocumentElement();
        } catch (final ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("the pain.001 writer made a document it cannot read back: " + e.getMessage(), e);
        }
    }

    private static Element only(final Element parent, final String name) {
        final NodeList found = parent.getElementsByTagNameNS(NAMESPACE, name);
        check(found.getLength() == 1, found.getLength() + " " + name + " elements under " + parent.getLocalName());
        return (Element) found.item(0);
    }

    /** The text of the first {@code name} element under {@code parent} (in document order, any depth). */
    private static String text(final Element parent, final String name) {
        final Node found = parent.getElementsByTagNameNS(NAMESPACE, name).item(0);
        check(found != null, "no " + name + " under " + parent.getLocalName());
        return found.getTextContent();
    }

    private static void check(final boolean condition, final String what) {
        if (!condition) {
            throw new IllegalStateException("pain.001 check failed: " + what);
        }
    }

    /** Elements on their own lines, indented by depth; text escaped. */
    private static final class Xml {
        final StringBuilder out = new StringBuilder(4096);
        private final ArrayDeque<String> open = new ArrayDeque<>();

        Xml open(final String name) {
            return open(name, name);
        }

        Xml open(final String tag, final String name) {
            indent();
            out.append('<').append(tag).append(">\n");
            open.push(name);
            return this;
        }

        Xml close() {
            final String name = open.pop();
            indent();
            out.append("</").append(name).append(">\n");
            return this;
        }

        Xml text(final String name, final String value) {
            indent();
            out.append('<').append(name).append('>');
            escape(value);
            out.append("</").append(name).append(">\n");
            return this;
        }

        Xml amount(final String name, final long fen) {
            indent();
            out.append('<').append(name).append(" Ccy=\"").append(PayoutBatch.CURRENCY).append("\">")
                    .append(Money.format(fen)).append("</").append(name).append(">\n");
            return this;
        }

        private void indent() {
            for (int i = 0; i < open.size(); i++) {
                out.append("  ");
            }
        }

        private void escape(final String value) {
            for (int i = 0; i < value.length(); i++) {
                final char c = value.charAt(i);
                switch (c) {
                    case '&' -> out.append("&amp;");
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    default -> out.append(c);
                }
            }
        }
    }
}
