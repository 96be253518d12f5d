"""HTTP controllers: parse, call a use case, render."""
