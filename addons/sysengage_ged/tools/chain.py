"""Per-company hash chain of archive records.

Each archive record stores the SHA-256 of its file and a *chain hash* that binds
that digest to the previous record's chain hash, its position and its identity.
Removing, inserting or swapping a record breaks the chain from that point on.
"""

import hashlib

GENESIS_HASH = "0" * 64


def sha256_hex(data):
    """Return the hexadecimal SHA-256 digest of ``data`` (bytes)."""
    return hashlib.sha256(data or b"").hexdigest()


def chain_hash(previous_hash, sequence, file_sha256, reference):
    """Chain hash of one record.

    :param previous_hash: chain hash of the previous record (``GENESIS_HASH`` for the first)
    :param sequence: position of the record in the company chain (1, 2, ...)
    :param file_sha256: hexadecimal SHA-256 of the archived file
    :param reference: stable identity of the archived document (e.g. ``"account.move,42,v3,pdf"``)
    """
    payload = "|".join([previous_hash or GENESIS_HASH, str(int(sequence)), file_sha256, reference or ""])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def verify_chain(entries, head=None):
    """Check a company chain.

    :param entries: iterable of dicts ordered by sequence with keys ``sequence``,
        ``previous_hash``, ``chain_hash``, ``sha256``, ``reference`` and ``label``
    :param head: optional anchor ``{"sequence", "chain_hash", "label"}`` recorded apart from the
        entries (the last position and chain hash ever archived)
    :return: list of problems (dicts with ``label`` and ``problem`` code); empty when intact.
        Codes: ``gap`` (a record is missing before this one), ``previous_mismatch`` (the stored
        previous hash is not the chain hash of the record before: removed or swapped),
        ``chain_mismatch`` (the record's own chain hash does not match its content),
        ``truncated`` (the newest records are missing: the chain ends before its head),
        ``head_mismatch`` (the last record is not the one the head recorded).
    """
    problems = []
    expected_sequence = 1
    previous = GENESIS_HASH
    for entry in entries:
        if entry["sequence"] != expected_sequence:
            problems.append({"label": entry["label"], "problem": "gap", "expected": expected_sequence})
        if entry["previous_hash"] != previous:
            problems.append({"label": entry["label"], "problem": "previous_mismatch"})
        computed = chain_hash(entry["previous_hash"], entry["sequence"], entry["sha256"], entry["reference"])
        if computed != entry["chain_hash"]:
            problems.append({"label": entry["label"], "problem": "chain_mismatch"})
        previous = entry["chain_hash"]
        expected_sequence = entry["sequence"] + 1
    if head is not None:
        last_sequence = expected_sequence - 1
        if head["sequence"] > last_sequence:
            problems.append({"label": head["label"], "problem": "truncated", "expected": head["sequence"]})
        elif head["sequence"] < last_sequence or (last_sequence and head["chain_hash"] != previous):
            problems.append({"label": head["label"], "problem": "head_mismatch"})
    return problems


def verify_path(entries, head):
    """Check that the first of ``entries`` leads, link by link, to a timestamped chain head.

    A batch timestamp is an RFC 3161 token over the chain hash of the head (the newest entry when
    it was taken); it proves every entry chained before that head, provided the path from the
    entry to the head is intact.

    :param entries: dicts ordered by sequence, from the entry checked up to the head position,
        with keys ``sequence``, ``previous_hash``, ``chain_hash``, ``sha256``, ``reference``
    :param head: ``{"sequence", "chain_hash"}`` of the timestamped head
    :return: list of problems (dicts with ``problem`` and ``sequence``); empty when the path holds.
        Codes: ``chain_mismatch`` (an entry's chain hash does not match its content),
        ``gap`` (a position between the entry and the head is missing),
        ``previous_mismatch`` (an entry does not follow the one before),
        ``head_mismatch`` (the path does not end on the timestamped head hash).
    """
    problems = []
    entries = list(entries)
    if not entries:
        return [{"problem": "gap", "sequence": head["sequence"]}]
    expected_sequence = entries[0]["sequence"]
    previous = None
    for entry in entries:
        if entry["sequence"] != expected_sequence:
            problems.append({"problem": "gap", "sequence": expected_sequence})
        elif previous is not None and entry["previous_hash"] != previous:
            problems.append({"problem": "previous_mismatch", "sequence": entry["sequence"]})
        computed = chain_hash(entry["previous_hash"], entry["sequence"], entry["sha256"], entry["reference"])
        if computed != entry["chain_hash"]:
            problems.append({"problem": "chain_mismatch", "sequence": entry["sequence"]})
        previous = entry["chain_hash"]
        expected_sequence = entry["sequence"] + 1
    last = entries[-1]
    if last["sequence"] < head["sequence"]:
        problems.append({"problem": "gap", "sequence": last["sequence"] + 1})
    elif last["sequence"] != head["sequence"] or last["chain_hash"] != head["chain_hash"]:
        problems.append({"problem": "head_mismatch", "sequence": head["sequence"]})
    return problems
