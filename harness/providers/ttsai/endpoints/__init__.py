"""TTS.ai's endpoints, one module per family (the families of `models`):

    shared    the implied success answer and the error statuses each kind of endpoint can meet
    speech    the queued TTS job and its results, streaming, the OpenAI route, cloning, batches,
              saved-voice TTS, the task webhook
    audio     speech to text, voice changer, translation, speech to speech, audio tools, chat, embedding
    catalog   health, models, voices, saved voices (web host)
    sdk       what the official client library (`ttsai`) calls that the document does not show (`source: sdk`)

`ENDPOINTS` is every family's, in this order; a new family is one module and one line here.
"""

from harness.providers.ttsai.endpoints.audio import AUDIO_ENDPOINTS
from harness.providers.ttsai.endpoints.catalog import CATALOG_ENDPOINTS
from harness.providers.ttsai.endpoints.sdk import SDK_ENDPOINTS
from harness.providers.ttsai.endpoints.speech import SPEECH_ENDPOINTS

ENDPOINTS = (*SPEECH_ENDPOINTS, *AUDIO_ENDPOINTS, *CATALOG_ENDPOINTS, *SDK_ENDPOINTS)
