"""The end-of-run summary: its figures, the sections it prints, and their text, Markdown or JSON form."""
