from . import sysengage_ged_archive_verify
