"""camt.054 / camt.053 files written from the ISO 20022 message definitions and the Swiss Payment Standards
implementation guidelines (element order of the published schemas), for the tests and the benchmark.

Every file this module writes is checked against the shipped XSD by the tests.
"""

from xml.sax.saxutils import escape

NS = "urn:iso:std:iso:20022:tech:xsd:{message}.001.{version}"


def _tx(tx, version, index):
    amount = f"{tx['amount']:.2f}"
    currency = tx.get("currency", "CHF")
    indicator = "CRDT" if tx.get("credit", True) else "DBIT"
    refs = [f"<AcctSvcrRef>{escape(tx.get('acct_svcr_ref') or f'TX{index:012d}')}</AcctSvcrRef>"]
    refs.append(f"<EndToEndId>{escape(tx.get('end_to_end_id', 'NOTPROVIDED'))}</EndToEndId>")
    if version == "08" and tx.get("uetr"):
        refs.append(f"<UETR>{tx['uetr']}</UETR>")
    party = "Dbtr" if indicator == "CRDT" else "Cdtr"
    name = escape(tx.get("debtor_name") or "")
    parties = ""
    if name:
        party_name = f"<Pty><Nm>{name}</Nm></Pty>" if version == "08" else f"<Nm>{name}</Nm>"
        parties = f"<{party}>{party_name}</{party}>"
        if tx.get("debtor_iban"):
            parties += f"<{party}Acct><Id><IBAN>{tx['debtor_iban']}</IBAN></Id></{party}Acct>"
        parties = f"<RltdPties>{parties}</RltdPties>"
    remittance = ""
    if tx.get("ref_type") == "QRR":
        remittance = (
            "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Prtry>QRR</Prtry></CdOrPrtry></Tp>"
            f"<Ref>{tx['ref']}</Ref></CdtrRefInf></Strd></RmtInf>"
        )
    elif tx.get("ref_type") == "SCOR":
        remittance = (
            "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
            f"<Ref>{tx['ref']}</Ref></CdtrRefInf></Strd></RmtInf>"
        )
    elif tx.get("message"):
        remittance = f"<RmtInf><Ustrd>{escape(tx['message'])}</Ustrd></RmtInf>"
    return (
        f'<TxDtls><Refs>{"".join(refs)}</Refs><Amt Ccy="{currency}">{amount}</Amt>'
        f"<CdtDbtInd>{indicator}</CdtDbtInd>"
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>AUTT</SubFmlyCd></Fmly></Domn></BkTxCd>"
        f"{parties}{remittance}</TxDtls>"
    )


def _entry(entry, version, counter):
    txs = entry["transactions"]
    total = sum(tx["amount"] for tx in txs)
    currency = txs[0].get("currency", "CHF")
    indicator = "CRDT" if txs[0].get("credit", True) else "DBIT"
    status = "<Sts><Cd>BOOK</Cd></Sts>" if version == "08" else "<Sts>BOOK</Sts>"
    ntry_ref = f"<NtryRef>{entry['ntry_ref']}</NtryRef>" if entry.get("ntry_ref") else ""
    details = "".join(_tx(tx, version, counter + index) for index, tx in enumerate(txs))
    batch = f"<Btch><NbOfTxs>{len(txs)}</NbOfTxs></Btch>" if len(txs) > 1 else ""
    return (
        f'<Ntry>{ntry_ref}<Amt Ccy="{currency}">{total:.2f}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>'
        f"<RvslInd>false</RvslInd>{status}<BookgDt><Dt>{entry['date']}</Dt></BookgDt>"
        f"<ValDt><Dt>{entry['date']}</Dt></ValDt>"
        f"<AcctSvcrRef>{escape(entry.get('acct_svcr_ref') or f'E{counter:015d}')}</AcctSvcrRef>"
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>VCOM</SubFmlyCd></Fmly></Domn></BkTxCd>"
        f"<NtryDtls>{batch}{details}</NtryDtls>"
        f"<AddtlNtryInf>{escape(entry.get('info', 'SAMMELGUTSCHRIFT QR-RECHNUNG'))}</AddtlNtryInf></Ntry>"
    )


def write_camt(
    entries,
    message="camt.054",
    version="08",
    account="CH9300762011623852957",
    currency="CHF",
    msg_id="MSG-0001",
    created="2026-11-30T22:00:00",
    opening=None,
):
    """A camt.054 notification or camt.053 statement (bytes) of ``entries``: each a dict with ``date``,
    optional ``ntry_ref`` (the QR-IBAN for QR payments) and ``transactions`` (dicts with ``amount``,
    ``currency``, ``ref_type`` QRR/SCOR, ``ref``, ``debtor_name``, ``debtor_iban``, ``acct_svcr_ref``,
    ``uetr``, ``credit``, ``message``); several transactions make one batched entry."""
    body_tag, block_tag = ("BkToCstmrDbtCdtNtfctn", "Ntfctn") if message == "camt.054" else ("BkToCstmrStmt", "Stmt")
    sps = "SPS/2.0/PROD" if version == "08" else "SPS/1.7/PROD"
    counter = 1
    parts = []
    for entry in entries:
        parts.append(_entry(entry, version, counter))
        counter += len(entry["transactions"])
    balances = ""
    if message == "camt.053":
        opening = opening or 0.0
        moved = sum(
            tx["amount"] if tx.get("credit", True) else -tx["amount"]
            for entry in entries
            for tx in entry["transactions"]
        )
        day = entries[0]["date"] if entries else created[:10]
        balances = "".join(
            f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="{currency}">{abs(value):.2f}</Amt>'
            f"<CdtDbtInd>{'CRDT' if value >= 0 else 'DBIT'}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>"
            for code, value in (("OPBD", opening), ("CLBD", opening + moved))
        )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{NS.format(message=message, version=version)}">'
        f"<{body_tag}><GrpHdr><MsgId>{escape(msg_id)}</MsgId><CreDtTm>{created}</CreDtTm>"
        f"<AddtlInf>{sps}</AddtlInf></GrpHdr>"
        f"<{block_tag}><Id>{escape(msg_id)}-1</Id><CreDtTm>{created}</CreDtTm>"
        f"<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>{currency}</Ccy></Acct>{balances}{''.join(parts)}"
        f"</{block_tag}></{body_tag}></Document>\n"
    )
    return xml.encode()
