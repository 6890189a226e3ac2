"""Money parsing lives in the kernel (kernel.parsing.amounts), shared with the bank feeds."""

from kernel.parsing.amounts import Amount, parse_amount, parse_amount_yuan

__all__ = ["Amount", "parse_amount", "parse_amount_yuan"]
