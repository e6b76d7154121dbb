"""RemoteMonitor: posts the epoch logs to an HTTP server.

Example:
    >>> cb = lamina.callbacks.RemoteMonitor(root="http://localhost:9000")
"""

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from lamina.callbacks.callback import Callback
from lamina.saving.object_registry import keras_export


@keras_export("keras.callbacks")
class RemoteMonitor(Callback):
    """Streams the epoch logs to a server with an HTTP POST after every epoch.

    The request goes to ``root + path``. The payload is ``{"epoch": epoch,
    **logs}`` encoded as JSON: sent as the form field ``field``
    (``application/x-www-form-urlencoded``) by default, or as the request body
    with ``Content-Type: application/json`` when ``send_as_json=True``. Uses the
    standard library (``urllib``); an unreachable server gives a warning, not an
    error.

    Args:
        root: the root URL of the server.
        path: the path, relative to ``root``, the events are sent to.
        field: the form field holding the JSON data (form mode only).
        headers: extra HTTP headers (a dict).
        send_as_json: send the data as ``application/json``.

    Example:
        >>> monitor = lamina.callbacks.RemoteMonitor(root="http://localhost:9000",
        ...                                          send_as_json=True)
        >>> model.fit(x, y, epochs=3, callbacks=[monitor])
    """

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data",
                 headers=None, send_as_json=False):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        send = {"epoch": epoch}
        for key, value in logs.items():
            if isinstance(value, (np.ndarray, np.generic)):
                send[key] = value.item()
            else:
                send[key] = value
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
        except urllib.error.HTTPError:
            # The server answered (like `requests`, an error status is not an exception).
            pass
        except (urllib.error.URLError, OSError, ValueError):
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root}",
                          stacklevel=2)
