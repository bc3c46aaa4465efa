from sysengage_ged_tools.chain import GENESIS_HASH, chain_hash, sha256_hex, verify_chain, verify_path


def _build(n):
    entries, previous = [], GENESIS_HASH
    for seq in range(1, n + 1):
        digest = sha256_hex(b"file %d" % seq)
        ref = f"account.move,{seq},v1,pdf"
        current = chain_hash(previous, seq, digest, ref)
        entries.append(
            {
                "sequence": seq,
                "previous_hash": previous,
                "chain_hash": current,
                "sha256": digest,
                "reference": ref,
                "label": f"A{seq}",
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


def _head(entries, label="head"):
    last = entries[-1]
    return {"sequence": last["sequence"], "chain_hash": last["chain_hash"], "label": label}


def test_head_matches_intact_chain():
    entries = _build(4)
    assert verify_chain(entries, head=_head(entries)) == []
    assert verify_chain([], head={"sequence": 0, "chain_hash": GENESIS_HASH, "label": "head"}) == []


def test_truncated_tail_detected_by_head():
    entries = _build(5)
    head = _head(entries)
    assert verify_chain(entries[:3]) == [], "without an anchor, a shorter chain looks intact"
    assert verify_chain(entries[:3], head=head) == [{"label": "head", "problem": "truncated", "expected": 5}]
    assert verify_chain([], head=head) == [{"label": "head", "problem": "truncated", "expected": 5}]


def test_tail_not_recorded_by_head_detected():
    entries = _build(3)
    head = _head(entries[:2])
    assert verify_chain(entries, head=head) == [{"label": "head", "problem": "head_mismatch"}]
    other = _build(3)
    other[-1] = dict(other[-1], chain_hash="f" * 64)
    codes = [p["problem"] for p in verify_chain(other, head=_head(entries))]
    assert "head_mismatch" in codes


def _stamped_head(entry):
    return {"sequence": entry["sequence"], "chain_hash": entry["chain_hash"]}


def test_path_to_timestamped_head_intact():
    entries = _build(6)
    head = _stamped_head(entries[4])
    assert verify_path(entries[1:5], head) == []
    # the head entry itself is covered by its own timestamp
    assert verify_path(entries[4:5], head) == []


def test_path_with_altered_file_digest_broken():
    entries = _build(5)
    entries[2] = dict(entries[2], sha256=sha256_hex(b"forged"))
    assert [p["problem"] for p in verify_path(entries[1:], _stamped_head(entries[4]))] == ["chain_mismatch"]


def test_path_to_altered_head_broken():
    entries = _build(5)
    head = dict(_stamped_head(entries[4]), chain_hash="ab" * 32)
    assert [p["problem"] for p in verify_path(entries[1:], head)] == ["head_mismatch"]


def test_path_with_missing_tail_broken():
    entries = _build(5)
    problems = verify_path(entries[1:3], _stamped_head(entries[4]))
    assert problems == [{"problem": "gap", "sequence": 4}]
    assert verify_path([], _stamped_head(entries[4])) == [{"problem": "gap", "sequence": 5}]


def test_path_with_missing_middle_broken():
    entries = _build(5)
    del entries[2]
    assert [p["problem"] for p in verify_path(entries[1:], _stamped_head(entries[3]))] == ["gap"]
