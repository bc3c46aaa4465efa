from sysengage_crm_light_tools.ldap_merge import (
    decode_attribute,
    entry_key,
    normalize_email,
    normalize_name,
    plan_update,
)


def test_first_sync_fills_blanks_only():
    to_write, protected = plan_update(
        {"name": "Lea Meier", "phone": "+41 21", "email": "lea@example.ch"},
        {"name": "L. Meier", "phone": "", "email": "lea@example.ch"},
        None,
    )
    assert to_write == {"phone": "+41 21"}
    assert protected == ["name"]


def test_later_sync_updates_untouched_fields_and_keeps_edits():
    last = {"name": "Lea Meier", "phone": "+41 21", "function": "Sales"}
    current = {"name": "Lea Meier", "phone": "+41 79", "function": "Sales"}
    directory = {"name": "Lea Meier-Rossi", "phone": "+41 22", "function": "Head of sales"}
    to_write, protected = plan_update(directory, current, last)
    assert to_write == {"name": "Lea Meier-Rossi", "function": "Head of sales"}
    assert protected == ["phone"]


def test_new_mapping_on_filled_field_is_protected():
    to_write, protected = plan_update({"function": "Sales"}, {"function": "Boss"}, {"name": "X"})
    assert (to_write, protected) == ({}, ["function"])
    to_write, protected = plan_update({"function": "Sales"}, {"function": ""}, {"name": "X"})
    assert (to_write, protected) == ({"function": "Sales"}, [])


def test_helpers():
    assert normalize_email("  Lea.Meier@Example.CH ") == "lea.meier@example.ch"
    assert normalize_name(" Lea   MEIER ") == "lea meier"
    assert decode_attribute([b"Z\xc3\xbcrich", b"other"]) == "Zürich"
    assert decode_attribute(None) == ""


def test_entry_key_prefers_stable_identifiers():
    guid = bytes(range(16))
    assert entry_key("cn=a", {"objectGUID": [guid]}) == "000102030405060708090a0b0c0d0e0f"
    assert entry_key("cn=a", {"entryuuid": [b"90a87fe2-8228-1041-99ca-07579ceb2d6d"]}) == (
        "90a87fe2-8228-1041-99ca-07579ceb2d6d"
    )
    assert entry_key("uid=x,dc=t", {"cn": [b"X"]}) == "uid=x,dc=t"
