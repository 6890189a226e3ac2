"""Every test process hashes personal data under a test key (a build without one refuses to run)."""

import os

os.environ.setdefault("TUOKE_PII_KEY", "tuoke-test-pii-key-0123456789abcdef")
