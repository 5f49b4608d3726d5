"""Reports and the regression gate, in layers that each read only the one below:

    (rows)       the raw rows of one run: `harness.results.RunRows`, from the results database, or from an export
                 folder (`export`)
    leaderboard  every figure of a report, per provider × model, from those rows only (stats for intervals)
    columns      the leaderboard's columns as data: heading, meaning, which way is better, the cell it draws
    charts, labels, render   the self-contained HTML page (templates/: its sort and filters inline), audio
                 copied beside it; chart labels placed so none prints over another; formats: one way to print
                 a figure
    load         a load sweep's latency curves, with intervals
    compare      the regression gate: beyond a threshold AND statistically significant; stream_compare: two
                 fixture folders' recorded streams replayed and compared
    export       the rows as CSV, Parquet or JSON, readable back
    observed_contract, contract_diff   the structural diff of two fixture folders, graded like oasdiff
    alignment    the reference beside the transcript, word by word
    conform_card a `tts-harness conform` card as Markdown, JSON, JUnit XML and a shields.io badge

Nothing is imported here, so `tts-harness --help` does not pay for plotly, scipy or jinja2.
"""
