"""The commands, one module per part of the product.

A new command goes in the module of its part, or in a new module here that doetank_cli/cli.py imports;
common.py holds what they share (the app, the workspace option, dates, prompts, completion).
"""
