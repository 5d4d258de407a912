"""The one command line, ``tokenbudget`` (``cli.main``): argparse lives here and only here.

``python -m cli`` runs the same commands from a checkout; nothing under ``pricing/`` or
``scenarios/`` imports this package.
"""
