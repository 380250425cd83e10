"""The calllog terminal app (Textual). Screens call ``calllog.services`` only."""
