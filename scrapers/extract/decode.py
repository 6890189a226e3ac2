"""Bytes -> text lives in the kernel (kernel.parsing.decoding), shared with the bank feeds."""

from kernel.parsing.decoding import decode_body, decode_report

__all__ = ["decode_body", "decode_report"]
