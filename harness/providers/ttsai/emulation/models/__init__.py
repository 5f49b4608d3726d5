"""What the sandbox keeps to play TTS.ai:

catalog   what every model and voice sounds like, and how long each takes
plans     the tiers a key can be on, from the document's rate-limit table
saved     every key's saved voices, pre-seeded with the document's `uv_a1b2c3d4e5f6`
"""
