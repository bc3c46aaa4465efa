"""Plain-Python standards code of sysengage_einvoice (no ORM import).

- :mod:`.qr_reference`: QRR / legacy ISR (BVR) references, recursive mod-10 check digit.
- :mod:`.qr_payload`: Swiss QR-bill payload check per SIX Implementation Guidelines 2.3.
- :mod:`.swico`: Swico ``//S1/`` structured billing information.
- :mod:`.amount_words`: amounts in words (fr_CH, de_CH, it_CH) with francs and centimes.
- :mod:`.yellowbill`: PostFinance eBill yellowbill Invoice 2.0 XML from a plain dict.
- :mod:`.cxml`: SAP Ariba cXML ``InvoiceDetailRequest`` from a plain dict.
- :mod:`.backoff`: retry delays for transient transport failures.
- :mod:`.reminder`: which payment reminder level an overdue invoice reaches on a day.
- :mod:`.pdf_batch`: several HTML documents as one PDF, cut back per document.
"""
