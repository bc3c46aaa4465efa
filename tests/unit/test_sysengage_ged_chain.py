from sysengage_ged_tools.chain import GENESIS_HASH, chain_hash, sha256_hex, verify_chain


def _build(n):
    entries, previous = [], GENESIS_HASH
    for seq in range(1, n + 1):
        digest = sha256_hex(b"file %d" % seq)
        ref = "account.move,%d,v1,pdf" % seq
        current = chain_hash(previous, seq, digest, ref)
        entries.append(
            {
                "sequence": seq,
                "previous_hash": previous,
                "chain_hash": current,
                "sha256": digest,
                "reference": ref,
                "label": "A%d" % seq,
            }
        )
        previous = current
    return entries


def test_intact_chain():
    assert verify_chain(_build(5)) == []


def test_missing_record_detected():
    entries = _build(5)
    del entries[2]
    problems = verify_chain(entries)
    assert {"label": "A4", "problem": "gap", "expected": 3} in problems
    assert {"label": "A4", "problem": "previous_mismatch"} in problems


def test_swapped_records_detected():
    entries = _build(4)
    entries[1], entries[2] = entries[2], entries[1]
    codes = {(p["label"], p["problem"]) for p in verify_chain(entries)}
    assert ("A3", "previous_mismatch") in codes


def test_altered_digest_detected():
    entries = _build(3)
    entries[1]["sha256"] = sha256_hex(b"tampered")
    assert verify_chain(entries) == [{"label": "A2", "problem": "chain_mismatch"}]
