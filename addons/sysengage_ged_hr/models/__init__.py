from . import hr_employee
from . import resource_resource
