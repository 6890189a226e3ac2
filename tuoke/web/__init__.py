"""`tuoke serve`: the web page for marketing teams and RMs (see app.py)."""
