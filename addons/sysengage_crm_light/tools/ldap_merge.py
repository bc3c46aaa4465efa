"""One-way directory merge: which contact fields a sync may write.

A synchronised field is written only when the contact still holds the value the previous sync
wrote (or when it was never synchronised and is empty): a value a user typed in between is kept.
"""


def normalize_email(value):
    return (value or "").strip().lower()


def normalize_name(value):
    return " ".join((value or "").split()).casefold()


def plan_update(directory_values, current_values, last_synced_values):
    """Split the directory's values into what to write and what a user protected.

    :param directory_values: {field: value} read from the directory for one entry
    :param current_values: {field: value} the contact holds now
    :param last_synced_values: {field: value} the previous sync wrote, or None on a first sync
    :returns: (to_write, protected) -- a dict of fields to write, and the sorted list of fields
        left alone because a user edited them since the last sync
    """
    to_write = {}
    protected = []
    for field, new_value in directory_values.items():
        current = current_values.get(field) or ""
        new_value = new_value or ""
        if current == new_value:
            continue
        if last_synced_values is None:
            # first sync of an existing contact: fill blanks, never replace what a user typed
            if current:
                protected.append(field)
                continue
        elif field in last_synced_values and current != (last_synced_values[field] or ""):
            protected.append(field)
            continue
        elif field not in last_synced_values and current:
            protected.append(field)
            continue
        to_write[field] = new_value
    return to_write, sorted(protected)


def decode_attribute(values):
    """First value of an LDAP attribute (a list of bytes) as text, or an empty string."""
    if not values:
        return ""
    value = values[0]
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return value.strip()


# stable identifiers of an entry, surviving a rename or a move: OpenLDAP, Active Directory
GUID_ATTRIBUTES = ("entryUUID", "objectGUID")


def entry_key(dn, attributes):
    """The stable identifier of a directory entry as text, or its DN when the server gives none.

    :param attributes: {attribute name: [bytes]} as read (names in any case)
    """
    lowered = {name.lower(): values for name, values in attributes.items()}
    for name in GUID_ATTRIBUTES:
        values = lowered.get(name.lower())
        if values:
            value = values[0]
            if name == "objectGUID" and isinstance(value, bytes):
                return value.hex()  # 16 raw bytes
            return value.decode("ascii", errors="replace") if isinstance(value, bytes) else str(value)
    return dn
