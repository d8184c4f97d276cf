"""`doetank serve`: the workspace in a browser, over the same lifecycle functions as the command line.

access.py (who may ask what: hosts, token, CSRF, signed cookies; standard library only), guard.py (the gate of every
request), app.py (the routes), actions.py (one function per change: form in, lifecycle call, outcome out), forms.py,
views.py (what the pages show, built from the core's results), server.py (binding and running uvicorn), templates/,
static/.
"""
