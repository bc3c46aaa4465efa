from . import test_outlook
