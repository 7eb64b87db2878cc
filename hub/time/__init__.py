"""Time rules as pure functions: opening hours, the programme, "today", time zones."""
