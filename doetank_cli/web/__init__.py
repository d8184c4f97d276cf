"""`doetank serve`: the workspace in a browser, over the same lifecycle functions as the command line.

access.py (who may ask what: hosts, token, CSRF, signed cookies; standard library only), app.py (the routes), views.py
(what the pages show, built from the core's results), server.py (binding and running uvicorn), templates/, static/.
"""
