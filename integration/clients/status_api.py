"""Reads and status updates through the API that the browser checks of the shelter-status pages share
(test_status_page.py, test_status_map.py): 焼津市's 指定緊急避難場所 status table, written with its publisher's token."""

import json
import os
import urllib.request

BASE = os.environ["CIVIC_URL"].rstrip("/")
PUBLISHER = os.environ["CIVIC_TOKEN_PUBLISHER"]
TABLE = "yaizu-evacuation-space-status"


def get(path, token=None):
    """A JSON document of the server and its ETag (as the public reads it, or with `token`)."""
    request = urllib.request.Request(BASE + path, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response), response.headers.get("ETag")


def patch(feature, properties):
    """Another device's update of a shelter's status, with the record's current tag as staff read it (a shelter kept
    from the public is not there for the public)."""
    _, tag = get(f"/collections/{TABLE}/items/{feature}", PUBLISHER)
    request = urllib.request.Request(
        f"{BASE}/collections/{TABLE}/items/{feature}",
        data=json.dumps({"properties": properties}).encode(),
        method="PATCH",
        headers={"Authorization": f"Bearer {PUBLISHER}", "Content-Type": "application/merge-patch+json", "If-Match": tag},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
