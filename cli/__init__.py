"""The one command line, ``tokenbudget`` (``cli.main``): argparse lives here and only here.

``python -m pricing`` and ``python -m scenarios`` run the same commands; nothing under
``pricing/`` or ``scenarios/`` imports this package.
"""
