"""Money parsing lives in the kernel (tuoke.core.parsing.amounts), shared with the bank feeds."""

from tuoke.core.parsing.amounts import Amount, parse_amount, parse_amount_yuan

__all__ = ["Amount", "parse_amount", "parse_amount_yuan"]
