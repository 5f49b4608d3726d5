"""Reports and the regression gate, in layers that each read only the one below:

    rows         the raw rows of one run, from the results database (or an export folder)
    leaderboard  every figure of a report, per provider × model, from those rows only (stats for intervals)
    charts, render   the self-contained HTML page (templates/), audio copied beside it
    compare      the regression gate: beyond a threshold AND statistically significant
    export       the rows as CSV, Parquet or JSON, readable back
    shapes, contract_diff   the structural diff of two fixture folders, graded like oasdiff

Nothing is imported here, so `tts-harness --help` does not pay for plotly, scipy or jinja2.
"""
