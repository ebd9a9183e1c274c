"""Calls narrowed to the page's own objects before the proxy sends them, or refused.

A prune reaches every object of its kind on the engine: a page's `docker system prune` would
empty the reader's containers, networks, volumes, images. Through the proxy each prune gets
the session label as an extra filter, so it removes only what the page made and labelled
(containers, networks and volumes are labelled at creation). The build cache has no labels
and its prune no filter that could tell the page's records from the reader's, so
`docker builder prune` (also the last call of `docker system prune`) is refused with an
error the client prints. A legacy build gets `forcerm`: a failed step's intermediate
container is made by the engine, not through the proxy, so it would otherwise stay behind.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from guiderunner.run.docker.claims import Refused
from guiderunner.run.docker.record import LABEL

VERSIONED = re.compile(r"^/v[0-9.]+(/.*)$")
PRUNE = re.compile(r"^/(containers|networks|volumes|images)/prune$")
BUILD_PRUNE = "/build/prune"
REFUSED_BUILD_PRUNE = (
    "runner: a page may not prune the build cache: the engine cannot tell this page's cache "
    "from everyone else's (docker builder prune, the last part of docker system prune)"
)


def scoped(method: str, target: str, session: str) -> str:
    """The request target, narrowed to the page's own objects where a call could reach others.

    Raises:
        Refused: a call that cannot be narrowed (the build cache's prune).

    >>> scoped("POST", "/v1.41/volumes/prune", "s1")
    '/v1.41/volumes/prune?filters=%7B%22label%22%3A+%7B%22io.stockkube.runner.session%3Ds1%22%3A+true%7D%7D'
    >>> scoped("GET", "/v1.41/build/prune", "s1")
    '/v1.41/build/prune'
    """
    if method != "POST":
        return target
    url = urlsplit(target)
    path = VERSIONED.sub(r"\1", url.path)
    query = parse_qs(url.query, keep_blank_values=True)
    if path == BUILD_PRUNE:
        raise Refused(REFUSED_BUILD_PRUNE, 403)
    if PRUNE.match(path):
        query["filters"] = [with_label(query.get("filters", [""])[0], session)]
    elif path == "/build" and "forcerm" not in query:
        query["forcerm"] = ["1"]
    else:
        return target
    return urlunsplit(url._replace(query=urlencode(query, doseq=True)))


def with_label(filters: str, session: str) -> str:
    """Docker's JSON filters with this session's label added (ANDed with any other label).

    >>> with_label('{"until": {"24h": true}}', "s1")
    '{"until": {"24h": true}, "label": {"io.stockkube.runner.session=s1": true}}'
    >>> with_label('{"label": ["a=b"]}', "s1")
    '{"label": ["a=b", "io.stockkube.runner.session=s1"]}'
    """
    try:
        parsed = json.loads(filters) if filters else {}
    except ValueError:
        parsed = {}
    data = parsed if isinstance(parsed, dict) else {}
    wanted = f"{LABEL}={session}"
    labels = data.get("label")
    if isinstance(labels, list):
        data["label"] = [*labels, wanted]
    else:
        data["label"] = {**(labels if isinstance(labels, dict) else {}), wanted: True}
    return json.dumps(data)
