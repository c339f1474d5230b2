package dev.prepaid.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The pain.001.001.03 writer: valid against the published schema, totals equal to the lines, text exact. */
class Pain001WriterTest {
    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        final SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        schema = factory.newSchema(Pain001WriterTest.class.getResource("/iso20022/pain.001.001.03.xsd"));
    }

    private static void validate(final byte[] xml) throws Exception {
        schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(xml)));
    }

    private static Document parse(final byte[] xml) throws Exception {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static List<String> texts(final Document document, final String name) {
        final NodeList nodes = document.getElementsByTagNameNS(Pain001Writer.NAMESPACE, name);
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    @Test
    void everyBatchValidatesAgainstTheSchema() throws Exception {
        for (final PayoutBatch batch : Batches.all()) {
            validate(Pain001Writer.write(batch).content());
        }
    }

    @Test
    void aDebtorBankByCnapsCodeOnlyOrByBicOnlyValidatesToo() throws Exception {
        for (final Debtor debtor : new Debtor[] {
                new Debtor("Custody", "1001", "ICBC", null, "102290000011"),
                new Debtor("Custody", "1001", "ICBC", "ICBKCNBJ", null)}) {
            final PayoutBatch batch = new PayoutBatch(3, Batches.DATE, Batches.CREATED, debtor,
                    List.of(Batches.line(3, "M1", "Shop", 500)));
            validate(Pain001Writer.write(batch).content());
        }
    }

    @Test
    void theSchemaItselfRefusesWhatTheWriterMustNeverMake() {
        // The validation in these tests would catch a writer that broke the schema's rules.
        final String tooLong = new String(Pain001Writer.write(Batches.plain()).content(), StandardCharsets.UTF_8)
                .replace("<Nm>Noodle House</Nm>", "<Nm>" + "x".repeat(141) + "</Nm>");
        assertThatThrownBy(() -> validate(tooLong.getBytes(StandardCharsets.UTF_8))).hasMessageContaining("141");
    }

    @Test
    void countsAndControlSumsOfHeaderAndPaymentEqualTheLines() throws Exception {
        final Document plain = parse(Pain001Writer.write(Batches.plain()).content());
        assertThat(texts(plain, "NbOfTxs")).containsExactly("2", "2");
        assertThat(texts(plain, "CtrlSum")).containsExactly("1234.57", "1234.57");
        assertThat(texts(plain, "InstdAmt")).containsExactly("1234.56", "0.01");
        assertThat(plain.getElementsByTagNameNS(Pain001Writer.NAMESPACE, "PmtInf").getLength()).isEqualTo(1);
        assertThat(plain.getElementsByTagNameNS(Pain001Writer.NAMESPACE, "CdtTrfTxInf").getLength()).isEqualTo(2);

        final Document many = parse(Pain001Writer.write(Batches.many(500)).content());
        // 1.01 + 2.02 + … + 500.500: 101 fen × (1 + … + 500) = 101 × 125,250 fen.
        assertThat(texts(many, "NbOfTxs")).containsExactly("500", "500");
        assertThat(texts(many, "CtrlSum")).containsExactly("126502.50", "126502.50");
        assertThat(many.getElementsByTagNameNS(Pain001Writer.NAMESPACE, "CdtTrfTxInf").getLength()).isEqualTo(500);
    }

    @Test
    void amountsHaveExactlyTwoDecimalsUpToTheLargestThePainCarries() throws Exception {
        final Document longest = parse(Pain001Writer.write(Batches.longest()).content());
        assertThat(texts(longest, "InstdAmt")).containsExactly("9999999999999999.98", "0.01");
        assertThat(texts(longest, "CtrlSum")).containsExactly("9999999999999999.99", "9999999999999999.99");
        final PayoutBatch round = new PayoutBatch(5, Batches.DATE, Batches.CREATED, Batches.CUSTODY,
                List.of(Batches.line(5, "M1", "A", 100), Batches.line(5, "M2", "B", 10), Batches.line(5, "M3", "C", 1)));
        assertThat(texts(parse(Pain001Writer.write(round).content()), "InstdAmt")).containsExactly("1.00", "0.10", "0.01");
    }

    @Test
    void theDocumentCarriesTheBatchFieldByField() throws Exception {
        final Document d = parse(Pain001Writer.write(Batches.plain()).content());
        assertThat(texts(d, "MsgId")).containsExactly("PAYOUT-20261124-7");
        assertThat(texts(d, "PmtInfId")).containsExactly("PAYOUT-20261124-7");
        assertThat(texts(d, "CreDtTm")).containsExactly("2026-11-24T09:30:15+08:00");
        assertThat(texts(d, "ReqdExctnDt")).containsExactly("2026-11-24");
        assertThat(texts(d, "EndToEndId")).containsExactly("7-888310048990001", "7-888310048990002");
        assertThat(texts(d, "BIC")).containsExactly("ICBKCNBJSHI");
        assertThat(texts(d, "MmbId")).containsExactly("102290000011", "102290000011", "102290000011");
        assertThat(texts(d, "Cd")).containsOnly("CNAPS");
        assertThat(texts(d, "Ccy")).containsExactly("CNY");
        final Element amount = (Element) d.getElementsByTagNameNS(Pain001Writer.NAMESPACE, "InstdAmt").item(0);
        assertThat(amount.getAttribute("Ccy")).isEqualTo("CNY");
        assertThat(texts(d, "Ustrd")).containsOnly("Settlement 2026-11-24");
        // Debtor name (initiating party, debtor), bank names, payees.
        assertThat(texts(d, "Nm")).containsExactly("Prepaid Operator Ltd. custody account",
                "Prepaid Operator Ltd. custody account", "ICBC Shanghai Branch", "ICBC Shanghai Pudong", "Corner Books Ltd.",
                "ICBC Shanghai Pudong", "Noodle House");
    }

    @Test
    void textIsEscapedAndReadsBackExactlyChineseAndSupplementaryCharactersIncluded() throws Exception {
        final PayoutBatch batch = Batches.awkward();
        final byte[] xml = Pain001Writer.write(batch).content();
        final String raw = new String(xml, StandardCharsets.UTF_8);
        assertThat(raw).contains("<Nm>Tom &amp; Jerry's &lt;Shop&gt;, \"Ltd\"</Nm>")
                .contains("<EndToEndId>8-M&amp;1</EndToEndId>")
                .contains("<Nm>上海南京路百货有限公司</Nm>")
                .doesNotContain("<Shop>");
        final Document d = parse(xml);
        final List<String> names = texts(d, "Nm");
        for (final PayoutLine line : batch.lines()) {
            assertThat(names).contains(line.payeeName(), line.bankName());
        }
        assertThat(texts(d, "Ustrd")).containsExactly("a,b \"c\" <d> & e", "结算款 2026-11-24", "𠀀 supplementary 😀");
        assertThat(texts(d, "Nm")).contains("预付卡运营有限公司 & <备付金>", " leading and trailing spaces ");
    }

    @Test
    void theSameBatchGivesTheSameBytesAndTheCreationTimeIsKeptToTheSecond() {
        final PayoutFile first = Pain001Writer.write(Batches.awkward());
        final PayoutFile again = Pain001Writer.write(Batches.awkward());
        assertThat(again.content()).isEqualTo(first.content());
        assertThat(again.sha256()).isEqualTo(first.sha256()).hasSize(64);
        assertThat(first.name()).isEqualTo("payout-20261124-8.pain001.xml");

        final PayoutBatch plain = Batches.plain();
        final PayoutBatch withNanos = new PayoutBatch(plain.batchId(), plain.businessDate(),
                plain.createdAt().plusNanos(999_000_000), plain.debtor(), plain.lines());
        assertThat(Pain001Writer.write(withNanos).content()).isEqualTo(Pain001Writer.write(plain).content());
        final PayoutBatch utc = new PayoutBatch(plain.batchId(), plain.businessDate(),
                OffsetDateTime.of(2026, 11, 24, 1, 30, 15, 0, ZoneOffset.UTC), plain.debtor(), plain.lines());
        assertThat(new String(Pain001Writer.write(utc).content(), StandardCharsets.UTF_8))
                .contains("<CreDtTm>2026-11-24T01:30:15Z</CreDtTm>");
    }

    @Test
    void theCheckBeforeWritingRefusesADocumentWhoseTotalsOrTransfersAreNotTheBatch() {
        final PayoutBatch batch = Batches.plain();
        final String xml = Pain001Writer.render(batch);
        final String[] broken = {
                xml.replaceFirst("<CtrlSum>1234.57</CtrlSum>", "<CtrlSum>1234.58</CtrlSum>"),
                xml.replaceFirst("(?s)(</GrpHdr>.*?)<NbOfTxs>2</NbOfTxs>", "$1<NbOfTxs>3</NbOfTxs>"),
                xml.replace(">0.01<", ">0.02<"),
                xml.replace("<Nm>Noodle House</Nm>", "<Nm>Noodle House </Nm>"),
                xml.replaceFirst("(?s)<CdtTrfTxInf>.*?</CdtTrfTxInf>\n", ""),
        };
        for (final String document : broken) {
            assertThat(document).isNotEqualTo(xml);
            assertThatThrownBy(() -> Pain001Writer.verify(batch, document.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("pain.001 check failed");
        }
        Pain001Writer.verify(batch, xml.getBytes(StandardCharsets.UTF_8));
    }
}
