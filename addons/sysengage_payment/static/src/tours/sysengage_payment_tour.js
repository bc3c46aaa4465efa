import { registry } from "@web/core/registry";

// A camt.054.001.08 credit of CHF 100.00 with QR reference 210000000003139471430009017, the invoice created by
// tests/test_tour.py (written with tests/camt_samples.py, valid against the shipped XSD).
const CAMT054 = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>TOUR-CAMT054</MsgId><CreDtTm>2026-11-30T22:00:00</CreDtTm><AddtlInf>SPS/2.0/PROD</AddtlInf></GrpHdr><Ntfctn><Id>TOUR-CAMT054-1</Id><CreDtTm>2026-11-30T22:00:00</CreDtTm><Acct><Id><IBAN>CH4431999123000889012</IBAN></Id><Ccy>CHF</Ccy></Acct><Ntry><NtryRef>CH4431999123000889012</NtryRef><Amt Ccy="CHF">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>false</RvslInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-30</Dt></BookgDt><ValDt><Dt>2026-11-30</Dt></ValDt><AcctSvcrRef>E000000000000001</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>VCOM</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><AcctSvcrRef>TOUR-TX-1</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs><Amt Ccy="CHF">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>AUTT</SubFmlyCd></Fmly></Domn></BkTxCd><RltdPties><Dbtr><Pty><Nm>Tour Customer AG</Nm></Pty></Dbtr></RltdPties><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Prtry>QRR</Prtry></CdOrPrtry></Tp><Ref>210000000003139471430009017</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls><AddtlNtryInf>SAMMELGUTSCHRIFT QR-RECHNUNG</AddtlNtryInf></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>
`;

async function uploadCamt(input) {
    const file = new File([CAMT054], "camt054_tour.xml", { type: "text/xml" });
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(file);
    input.files = dataTransfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

registry.category("web_tour.tours").add("sysengage_payment_camt_tour", {
    url: "/odoo/action-sysengage_payment.sysengage_payment_import_action",
    steps: () => [
        {
            content: "Open the import of a bank file",
            trigger: ".o_sysengage_payment_upload",
            run: "click",
        },
        {
            content: "Choose the file",
            trigger: ".modal .o_field_binary input[type=file]:not(:visible)",
            run: async function () {
                await uploadCamt(document.querySelector(".modal .o_field_binary input[type=file]"));
            },
        },
        {
            content: "The file is loaded",
            trigger: ".modal .o_field_binary .o_clear_file_button",
        },
        {
            content: "Import it",
            trigger: ".modal button[name='action_import']",
            run: "click",
        },
        {
            content: "The credit is matched by its QR reference to the invoice",
            trigger: ".o_form_view .o_data_row:contains('210000000003139471430009017'):contains('Pays the invoice in full')",
        },
        {
            content: "Book the matched payments",
            trigger: ".o_form_view button[name='action_book_matched']",
            run: "click",
        },
        {
            content: "The transaction is booked",
            trigger: ".o_form_view .o_data_row:contains('Booked')",
        },
        {
            content: "Open the transaction",
            trigger: ".o_form_view .o_data_row:contains('210000000003139471430009017') td[name='reference']",
            run: "click",
        },
        {
            content: "Open its invoice",
            trigger: ".modal button[name='action_open_invoice']",
            run: "click",
        },
        {
            content: "The invoice shows paid",
            trigger: ".o_form_view .ribbon:contains('Paid')",
        },
        {
            content: "Its Bank payments button counts the credit that paid it",
            trigger: ".o_form_view button[name='action_sysengage_open_payment_lines']:contains('1')",
            run: "click",
        },
        {
            content: "It lists the booked credit of the bank file",
            trigger: ".o_list_view .o_data_row:contains('210000000003139471430009017'):contains('Booked')",
        },
    ],
});
