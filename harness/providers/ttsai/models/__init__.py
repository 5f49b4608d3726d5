"""TTS.ai's wire models, one module per endpoint family (the families of `endpoints`).

    shared    the document's name, limits and enums every family uses; `Acknowledgement`
    uploads   upload rules of the multipart endpoints: size limits, formats, durations
    errors    the error body, one model per status
    speech    the queued TTS job, streaming, the OpenAI route, cloning, batches, saved-voice TTS, webhooks
    audio     speech to text, voice changer, translation, speech to speech, audio tools, chat, embedding
    catalog   health, models, voices, saved voices
    sdk       what the official client library (`ttsai`) sends and reads beyond the document (`source: sdk`)

A new family is a module here and its endpoints a module of the same name in `endpoints`.
"""
