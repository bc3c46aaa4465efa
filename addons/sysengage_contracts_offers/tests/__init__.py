from . import test_contract_partner_roles
