"""Bytes -> text lives in the kernel (tuoke.core.parsing.decoding), shared with the bank feeds."""

from tuoke.core.parsing.decoding import decode_body, decode_report

__all__ = ["decode_body", "decode_report"]
