"""How the sandbox answers as TTS.ai, one module per job (the handlers are listed in `routes`):

jobs      the `Emulation` subclass: queued TTS jobs and batches, and refusals in TTS.ai's words
speech    SSE streaming (its event format is documented there), the OpenAI route, cloning
audio     speech to text, voice changer, translation, speech to speech, tools, chat, embed
saved     the saved-voice endpoints of the web host
catalog   /v1/health/, /v1/models/ and /v1/voices/ bodies
sdk       what the official client library calls beyond the document, in the shapes it reads
asr       real transcripts (the engine's transcriber hook, else Whisper tiny.en)
tools     the audio tools' answers, from a table
refusals  `{"error": {"code", "message"}}` with the spec's code for each status
billing   charging the direct answers (the engine charges job submits itself)
"""
