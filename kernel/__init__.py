"""The kernel: paths, errors, contracts and shared parsing. Imports nothing else of ours."""
