from . import ebill_oauth
